import { describe, expect, it } from 'vitest';
import { QuorumVerifier } from './quorum-verifier.js';
import type { QuorumServerSpec } from './server-spec.js';

const spec = (id: number, role: 'participant' | 'observer' = 'participant'): QuorumServerSpec =>
  ({ id, role, addresses: [{ host: '127.0.0.1', quorumPort: 2000 + id, electionPort: 3000 + id }] });

describe('QuorumVerifier (ZooKeeper\'s QuorumMaj)', () => {
  it('counts a quorum as more than half of the voters, ignoring observers and strangers', () => {
    const q = new QuorumVerifier([spec(1), spec(2), spec(3), spec(4, 'observer')], []);
    expect([...q.voters]).toEqual([1, 2, 3]);
    expect([...q.observers]).toEqual([4]);
    expect(q.isQuorum([1])).toBe(false);
    expect(q.isQuorum([1, 4])).toBe(false);
    expect(q.isQuorum([1, 4, 9])).toBe(false);
    expect(q.isQuorum([1, 1])).toBe(false);
    expect(q.isQuorum([1, 3])).toBe(true);
    const four = new QuorumVerifier([spec(1), spec(2), spec(3), spec(4)], []);
    expect(four.isQuorum([1, 2])).toBe(false);
    expect(four.isQuorum([1, 2, 3])).toBe(true);
  });

  it('refuses the same id twice', () => {
    expect(() => new QuorumVerifier([spec(1), spec(1)], [])).toThrow('server ids must be unique');
  });
});
