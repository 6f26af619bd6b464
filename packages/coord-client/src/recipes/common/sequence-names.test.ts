import { describe, expect, it } from 'vitest';
import { LOCK_NAMES, protectedPrefix, sortBySequence, sortKey } from './sequence-names.js';

const RW = [LOCK_NAMES.read, LOCK_NAMES.write];
const id = (n: number): string => `3f1c9a2e-0b7d-4c1e-9f00-${String(n).padStart(12, '0')}`;

describe('sequence names (Curator 5.x)', () => {
  it("protects names as Curator does: _c_<id>-", () => {
    expect(protectedPrefix(id(1)) + LOCK_NAMES.mutex).toBe(`_c_${id(1)}-lock-`);
  });

  it('orders by what follows the last lock name, like fixForSorting', () => {
    expect(sortKey(`_c_${id(1)}-lock-0000000042`, [LOCK_NAMES.mutex])).toBe('0000000042');
    // An id that itself contains the lock name does not matter: the last occurrence counts.
    expect(sortKey('_c_lock-lock-0000000007', [LOCK_NAMES.mutex])).toBe('0000000007');
    expect(sortKey('lock-0000000003', [LOCK_NAMES.mutex])).toBe('0000000003');
    expect(sortKey('foreign', [LOCK_NAMES.mutex])).toBe('foreign');
    // The read/write lock strips the reader's name, then the writer's.
    expect(sortKey(`_c_${id(2)}-__READ__0000000005`, RW)).toBe('0000000005');
    expect(sortKey(`_c_${id(3)}-__WRIT__0000000006`, RW)).toBe('0000000006');
  });

  it('sorts mixed Curator and Paddock nodes by sequence alone, whatever comes before the lock name', () => {
    const names = [
      `_c_${id(9)}-lock-0000000003`, // a higher id, a lower sequence
      'lock-0000000002', // unprotected
      `_c_${id(1)}-lock-0000000004`,
      'not-a-lock-node-either', // has the lock name: Curator sorts it by "node-either", after the digits
      'zzz', // foreign: no lock name
      `_c_${id(5)}-lock-0000000001`,
    ];
    expect(sortBySequence(names, [LOCK_NAMES.mutex]).map((n) => n.name)).toEqual([
      `_c_${id(5)}-lock-0000000001`, 'lock-0000000002', `_c_${id(9)}-lock-0000000003`, `_c_${id(1)}-lock-0000000004`, 'not-a-lock-node-either',
    ]);
  });

  it('keeps only the asked lock names, readers and writers in one queue', () => {
    const names = [`_c_${id(1)}-__READ__0000000003`, `_c_${id(2)}-__WRIT__0000000001`, `_c_${id(3)}-lock-0000000000`, `_c_${id(4)}-__READ__0000000002`];
    expect(sortBySequence(names, RW).map((n) => n.key)).toEqual(['0000000001', '0000000002', '0000000003']);
    expect(sortBySequence(names, [LOCK_NAMES.latch])).toEqual([]);
  });
});
