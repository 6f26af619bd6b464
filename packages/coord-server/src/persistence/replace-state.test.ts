import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Txn } from '../txn/txn.js';
import { createBody, createsAt, dump, layOut, recoverFrom, stateAfter, zx } from './testing/txn-history.js';
import { runSteps } from './files.js';
import { replacementSteps } from './replace-state.js';

const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'paddock-replace-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** What this server logged: epoch 1, then an epoch 2 whose proposals were never committed. */
const OLD = createsAt([1, 2, 3].map((c) => zx(1, c)).concat([1, 2, 3].map((c) => zx(2, c))));
const oldUpTo = (zxid: number) => OLD.filter((t) => t.zxid <= zxid);
/** The leader's state: (1,3) is another txn than ours (so a mix of the two shows). */
const LEADER_ZXID = zx(1, 3);
const SESSION = 0x2_0000_0000_0007n;
const leaderTxns: Txn[] = [...OLD.slice(0, 2), { zxid: LEADER_ZXID, time: 9, sessionId: 0n, body: createBody('/from-leader', 3) }];

function leaderState() {
  const s = stateAfter(leaderTxns);
  s.sessions.add(SESSION, 6000, Buffer.alloc(16, 7));
  return s;
}

/** The old history in two log files, with a snapshot inside each epoch. */
async function scenario(): Promise<string> {
  const dir = tmp();
  await layOut(dir, [OLD.slice(0, 4), OLD.slice(4)], [zx(1, 2), zx(2, 2)]);
  return dir;
}

type Outcome = 'old' | 'new' | 'mixed';

/** Recovery yields a prefix of the old history, exactly the leader's state, or (wrongly) something else. */
function outcome(dir: string): Outcome {
  const got = recoverFrom(dir);
  if (dump(got.tree) === dump(stateAfter(oldUpTo(got.lastZxid)).tree)) return 'old';
  const isNew = got.lastZxid === LEADER_ZXID && dump(got.tree) === dump(leaderState().tree) && got.sessions.get(SESSION)?.timeout === 6000;
  return isNew ? 'new' : 'mixed';
}

describe('replacing the history by a leader snapshot (ZAB SNAP)', () => {
  it('leaves exactly the new snapshot; recovery yields the leader state with its sessions', async () => {
    const dir = await scenario();
    const s = leaderState();
    const steps = await replacementSteps(dir, dir, s.tree, s.sessions, LEADER_ZXID);
    // Nothing visible changed by writing it: recovery still sees the old history.
    expect(outcome(dir)).toBe('old');
    expect(recoverFrom(dir).lastZxid).toBe(zx(2, 3));
    expect(steps.map((x) => x.what)).toEqual([
      'remove log.200000002', 'remove log.100000001', 'remove snapshot.200000002',
      expect.stringMatching(/^publish .*snapshot\.100000003$/), 'remove snapshot.100000002',
    ]);
    await runSteps(steps);
    expect(readdirSync(dir)).toEqual(['snapshot.100000003']);
    expect(outcome(dir)).toBe('new');
  });

  it('survives a crash between any two steps: the old history (or a prefix of it), or exactly the new state, never a mix', async () => {
    const pristine = await scenario();
    const seen: Outcome[] = [];
    for (let done = 0; done <= 5; done++) {
      const dir = tmp();
      cpSync(pristine, dir, { recursive: true });
      const s = leaderState();
      const steps = await replacementSteps(dir, dir, s.tree, s.sessions, LEADER_ZXID);
      expect(steps).toHaveLength(5);
      for (const step of steps.slice(0, done)) await step.run();
      seen.push(outcome(dir));
    }
    expect(seen).toEqual(['old', 'old', 'old', 'old', 'new', 'new']);
  });

  it('would mix the old log into the new state if the snapshot were published before the logs went', async () => {
    const dir = await scenario();
    const s = leaderState();
    const steps = await replacementSteps(dir, dir, s.tree, s.sessions, LEADER_ZXID);
    await steps.find((x) => x.what.startsWith('publish'))!.run();
    rmSync(join(dir, 'snapshot.200000002'));
    // The records (2,1..3) past the new snapshot's zxid would be replayed onto it.
    expect(recoverFrom(dir)).toMatchObject({ snapshotZxid: LEADER_ZXID, lastZxid: zx(2, 3) });
    expect(outcome(dir)).toBe('mixed');
  });
});
