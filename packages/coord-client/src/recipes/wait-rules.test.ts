import { describe, expect, it } from 'vitest';
import { sortBySequence } from './paths.js';
import { lastWriterBefore, predecessor } from './wait-rules.js';

const queue = sortBySequence(
  ['read-a-0000000000', 'write-b-0000000001', 'read-c-0000000002', 'read-d-0000000003', 'write-e-0000000004', 'read-f-0000000005'],
  new Set(['read', 'write']),
);
const none = (): boolean => false;

describe('lock wait rules', () => {
  it('a mutex or writer waits for its immediate predecessor only', () => {
    expect(predecessor(queue, 0, none)).toBeNull();
    expect(queue.map((_, i) => predecessor(queue, i, none))).toEqual([
      null, 'read-a-0000000000', 'write-b-0000000001', 'read-c-0000000002', 'read-d-0000000003', 'write-e-0000000004',
    ]);
  });

  it('a reader waits for the last writer before it, never for readers', () => {
    expect(queue.map((_, i) => (queue[i]!.kind === 'read' ? lastWriterBefore(queue, i, none) : '-'))).toEqual([
      null, '-', 'write-b-0000000001', 'write-b-0000000001', '-', 'write-e-0000000004',
    ]);
  });

  it("a reader skips the writer its own holder owns (downgrade)", () => {
    const mine = (n: string): boolean => n === 'write-b-0000000001';
    expect(lastWriterBefore(queue, 2, mine)).toBeNull();
    expect(lastWriterBefore(queue, 5, mine)).toBe('write-e-0000000004');
  });
});
