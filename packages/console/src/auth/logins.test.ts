import { describe, expect, it } from 'vitest';
import { COOKIE, Logins, cookieValue, sameSecret } from './logins.js';

describe('console logins', () => {
  it('forgets a login unused for 30 minutes and keeps at most 32, the oldest idle one going first', async () => {
    let now = 0;
    const logins = new Logins(() => now);
    const first = await logins.add('token', null);
    now = 29 * 60_000;
    expect(logins.find(first.id)?.who).toBe('token');
    now += 30 * 60_000 + 1;
    expect(logins.find(first.id)).toBeNull();
    const all = [];
    for (let i = 0; i < 33; i++) {
      now++;
      all.push(await logins.add(`digest:u${i}`, null));
    }
    expect(logins.find(all[0]?.id)).toBeNull();
    expect(logins.find(all[32]?.id)?.who).toBe('digest:u32');
  });

  it('reads its cookie among others and compares secrets of any length', () => {
    expect(cookieValue(`a=1; ${COOKIE}=abc; b=2`)).toBe('abc');
    expect(cookieValue('a=1')).toBeUndefined();
    expect(cookieValue(undefined)).toBeUndefined();
    expect(sameSecret('x', 'x')).toBe(true);
    expect(sameSecret('x', 'xy')).toBe(false);
  });
});
