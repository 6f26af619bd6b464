import { describe, expect, it } from 'vitest';
import { makeZxid } from '../zxid.js';
import { type Committed, planSync } from './sync-plan.js';

const z = makeZxid;
const c = (zxid: number): Committed => ({ zxid, txn: Buffer.from(zxid.toString(16)) });
const window = [z(1, 5), z(1, 6), z(1, 7), z(2, 1), z(2, 2)].map(c);
const zxids = (p: { proposals: readonly Committed[] }): string[] => p.proposals.map((x) => x.zxid.toString(16));

describe('planSync: DIFF, TRUNC or SNAP, as a ZooKeeper 3.8 leader chooses', () => {
  it('DIFF with nothing when the learner is where the leader is', () => {
    expect(planSync(z(2, 2), z(2, 2), window)).toEqual({ mode: 'diff', zxid: z(2, 2), proposals: [], lastQueued: z(2, 2) });
  });

  it('DIFF with the commits after the learner when its zxid is in the window', () => {
    const p = planSync(z(1, 6), z(2, 2), window);
    expect(p).toMatchObject({ mode: 'diff', zxid: z(2, 2), lastQueued: z(2, 2) });
    expect(zxids(p)).toEqual(['100000007', '200000001', '200000002']);
  });

  it('DIFF from an epoch start the leader never logged (a learner that only acknowledged NEWLEADER)', () => {
    const p = planSync(z(2, 0), z(2, 2), window);
    expect(p.mode).toBe('diff');
    expect(zxids(p)).toEqual(['200000001', '200000002']);
  });

  it('TRUNC when the learner is ahead of every commit (a dead leader proposed more)', () => {
    expect(planSync(z(2, 9), z(2, 2), window)).toEqual({ mode: 'trunc', zxid: z(2, 2), proposals: [], lastQueued: z(2, 2) });
  });

  it('TRUNC to the last common zxid, then the rest, when the learner holds a txn never committed in the same epoch', () => {
    const gap = [z(1, 5), z(1, 7), z(1, 8)].map(c);
    const p = planSync(z(1, 6), z(1, 8), gap);
    expect(p).toMatchObject({ mode: 'trunc', zxid: z(1, 5), lastQueued: z(1, 8) });
    expect(zxids(p)).toEqual(['100000007', '100000008']);
  });

  it('SNAP when the uncommitted txn is from an older epoch, when behind the window, or when forced', () => {
    const gap = [z(1, 5), z(2, 1)].map(c);
    expect(planSync(z(1, 6), z(2, 1), gap).mode).toBe('snap');
    expect(planSync(z(1, 2), z(2, 2), window)).toEqual({ mode: 'snap', zxid: z(2, 2), proposals: [], lastQueued: z(2, 2) });
    expect(planSync(z(2, 2), z(2, 2), window, true).mode).toBe('snap');
  });

  it('with an empty window the leader can only DIFF an equal learner, TRUNC one ahead, or SNAP', () => {
    expect(planSync(z(3, 0), z(3, 0), []).mode).toBe('diff');
    expect(planSync(z(3, 4), z(3, 0), [])).toMatchObject({ mode: 'trunc', zxid: z(3, 0) });
    expect(planSync(0, z(3, 0), []).mode).toBe('snap');
  });
});
