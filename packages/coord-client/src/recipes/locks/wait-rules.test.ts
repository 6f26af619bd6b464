import { describe, expect, it } from 'vitest';
import { LOCK_NAMES, sortBySequence } from '../common/sequence-names.js';
import { lastWriterBefore, predecessor } from './wait-rules.js';

const R = '_c_00000000-0000-0000-0000-00000000000a-__READ__';
const W = '_c_00000000-0000-0000-0000-00000000000b-__WRIT__';
const queue = sortBySequence(
  [`${R}0000000000`, `${W}0000000001`, `${R}0000000002`, `${R}0000000003`, `${W}0000000004`, `${R}0000000005`],
  [LOCK_NAMES.read, LOCK_NAMES.write],
);

describe('lock wait rules', () => {
  it('a mutex or writer waits for its immediate predecessor only', () => {
    expect(queue.map((_, i) => predecessor(queue, i))).toEqual([
      null, `${R}0000000000`, `${W}0000000001`, `${R}0000000002`, `${R}0000000003`, `${W}0000000004`,
    ]);
  });

  it('a reader waits for the last writer before it, never for readers', () => {
    expect(queue.map((n, i) => (n.name.startsWith(R) ? lastWriterBefore(queue, i) : '-'))).toEqual([
      null, '-', `${W}0000000001`, `${W}0000000001`, '-', `${W}0000000004`,
    ]);
  });
});
