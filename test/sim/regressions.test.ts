import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../packages/coord-server/src/base/logger.js';
import { Persistence } from '../../packages/coord-server/src/persistence/persistence.js';
import { RecentTxns } from '../../packages/coord-server/src/persistence/recent-txns.js';
import { createsAt, emptyTarget, zx } from '../../packages/coord-server/src/persistence/testing/txn-history.js';
import { nextTermState } from '../../packages/coord-server/src/quorum/peer/next-term.js';
import { knobsFor } from './knobs.js';
import { runSchedule } from './run-schedule.js';

/**
 * Runtime bugs the simulator found, each kept as the schedule that showed it (and, where one
 * fits, a smaller test of the same fault), now fixed: every one must run clean. A change to
 * the simulator can make a seed stop reaching its fault; the smaller tests do not depend on it.
 */
async function schedule(seed: number): Promise<void> {
  const r = await runSchedule(seed, knobsFor(seed));
  if (r.violation) throw new Error(`schedule ${seed}: ${r.report}`);
}

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('runtime bugs the simulator found, fixed', () => {
  it('newleader-snapshot-before-epoch: schedule 249, a learner whose term ends while it writes NEWLEADER\'s snapshot, loads again', () => schedule(249));

  it('recent-window-trimmed-flag: schedule 4286, a learner whose tree lags its log by more than the window, carries the right tree into its next term', () => schedule(4286));

  it('recent-window-trimmed-flag: nextTermState over a window of 2 with 3 txns logged and none applied reloads (or applies all 3)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paddock-sim-window-'));
    dirs.push(dir);
    const live = emptyTarget();
    const persistence = new Persistence({
      snapDir: dir, logDir: dir, forceSync: false, snapCount: 1_000_000, snapRetainCount: 3, logger: createLogger('silent'),
      random: () => 0, onFatal: () => {}, recent: new RecentTxns(2),
    }, 0);
    persistence.attach(live.tree, live.sessions);
    const logged = createsAt([1, 2, 3].map((c) => zx(1, c)));
    for (const t of logged) persistence.append(t);
    const state = { recovered: { tree: live.tree, sessions: live.sessions, lastZxid: 0, snapshotZxid: 0, replayed: 0, truncated: null, recent: new RecentTxns(0) }, persistence };
    const next = await nextTermState(state, live);
    await persistence.close();
    // Kept, the tree must hold every logged txn (it skipped /z100000001, which the window no longer listed).
    if (next) expect([...next.recovered.tree.paths()].filter((p) => p.startsWith('/z1')).sort()).toEqual(['/z100000001', '/z100000002', '/z100000003']);
  });
});
