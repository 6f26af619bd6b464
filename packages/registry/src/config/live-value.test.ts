import { describe, expect, it } from 'vitest';
import { ConfigValueError } from './config-value.js';
import { LiveValue, isBoolean } from './live-value.js';

const where = { namespace: 'ns', key: 'k' };

describe('LiveValue', () => {
  it('follows values of its type, falls back to the default when missing, and tells each change once', () => {
    const live = new LiveValue('ns', 'k', false, isBoolean, 'boolean');
    const changes: [boolean, boolean][] = [];
    live.on('change', (v, prev) => changes.push([v, prev]));
    live.listener({ ...where, kind: 'missing' });
    live.listener({ ...where, kind: 'value', value: true, version: 0 });
    live.listener({ ...where, kind: 'value', value: true, version: 1 });
    live.listener({ ...where, kind: 'missing' });
    expect(changes).toEqual([[true, false], [false, true]]);
    expect(live.value).toBe(false);
  });

  it('keeps the last good value on bad data, wrong types and failed reads, and reports each', () => {
    const live = new LiveValue('ns', 'k', false, isBoolean, 'boolean');
    const reports: string[] = [];
    live.on('invalid', (e) => reports.push(`invalid: ${e.message}`));
    live.on('failed', (e) => reports.push(`failed: ${e.message}`));
    live.listener({ ...where, kind: 'value', value: true, version: 0 });
    live.listener({ ...where, kind: 'value', value: 1, version: 1 });
    live.listener({ ...where, kind: 'invalid', error: new ConfigValueError('ns', 'k', Buffer.from('on'), 'not JSON'), version: 2 });
    live.listener({ ...where, kind: 'failed', error: new Error('NoAuth') });
    expect(live.value).toBe(true);
    expect(reports).toEqual([
      'invalid: config ns/k holds "1": expected a boolean',
      'invalid: config ns/k holds "on": not JSON',
      'failed: NoAuth',
    ]);
  });

  it('stops its watch once on close', () => {
    const live = new LiveValue('ns', 'k', true, isBoolean, 'boolean');
    let stops = 0;
    live.attach(() => { stops++; });
    live.close();
    live.close();
    expect(stops).toBe(1);
  });
});
