import { afterEach, beforeAll, expect, type RunnerTask } from 'vitest';
import { type EnsembleSettings, type PaddockEnsemble, startPaddockEnsemble } from './suite-ensemble.js';
import { treeAt, treeDiff } from './tree-read.js';
import { until } from './wait.js';

export interface EnsembleTargetOptions {
  readonly size: number;
  /** kill -9 the leader once half the suite's tests have run. */
  readonly killLeader?: boolean;
  /**
   * When the killed leader starts again: 'at once' (the default: on the same data, so it
   * rejoins as a learner by DIFF or SNAP while the rest of the suite writes) or 'after the
   * suite' (the rest runs on the others, then it must rejoin).
   */
  readonly rejoin?: 'at once' | 'after the suite';
}

/** What a suite's ensemble target did, for the suite's log line. */
interface KillRecord {
  readonly afterTest: string;
  readonly killedId: number;
  /** Where the killed member's log stood at the kill: its sync line is after this. */
  readonly logFrom: number;
  /** Resolves with ms from the kill until a new leader and the others serve (measured, never asserted). */
  readonly recovered: Promise<number>;
}

/**
 * Bound on the members' trees agreeing after the suite: a session the suite dropped without
 * closing (a fault test's) may still be expiring, and each member applies the closeSession
 * when it reaches it.
 */
const AGREE_MS = 20_000;
/** The first line a learner logs of its sync with a leader, in ZooKeeper's words (learner-role.ts). */
const SYNC_LINE = /Getting a diff from the leader|Truncating log to get in sync with the leader|Getting a snapshot from leader/;

/**
 * An all-Paddock ensemble as the server of one of the project's suites: returns the starter
 * the suite takes. Call it inside the describe block, before the suite registers its own
 * hooks, so that under vitest's 'stack' hook order the kill hook runs after the suite's
 * afterEach cleanup (the test's clients are closed) and the next test starts during the
 * election. With killLeader, after the suite's last test the hook checks that the kill
 * happened, that the ensemble is whole again (the killed one started if still down, a leader,
 * every member serving) and that every member holds the same tree.
 */
export function paddockEnsembleTarget(settings: EnsembleSettings, opts: EnsembleTargetOptions): () => Promise<PaddockEnsemble> {
  let ensemble: PaddockEnsemble | undefined;
  let killAfter = Number.POSITIVE_INFINITY;
  let ran = 0;
  let kill: KillRecord | undefined;
  const rejoin = opts.rejoin ?? 'at once';
  afterEach(async (ctx) => {
    // A failed test shows where each member was (its Mode and log tail): the data dirs go with the suite.
    if (ensemble && ctx.task.result?.state === 'fail') console.warn(await ensemble.describe());
  });
  if (opts.killLeader) {
    let total = 0;
    // vitest wants an object pattern for the (empty) fixture argument before the suite.
    beforeAll(({}, suite) => {
      total = runnableTests(suite);
      killAfter = Math.max(1, Math.floor(total / 2));
    });
    afterEach(async (ctx) => {
      if (!ensemble) return;
      ran++;
      if (ran === killAfter) {
        const logEnds = ensemble.members.map((m) => m.logText().length);
        const killedAt = Date.now();
        const killedId = await ensemble.killLeader({ restart: rejoin === 'at once' });
        const logFrom = logEnds[killedId - 1]!;
        // Watched beside the tests that follow, which run through the failover.
        const recovered = ensemble.serving().then(() => Date.now() - killedAt);
        recovered.catch(() => undefined);
        kill = { afterTest: ctx.task.name, killedId, logFrom, recovered };
      }
      if (ran !== total) return;
      // The last test: the suite's own afterAll stops the ensemble next, so check it here.
      expect(kill, `the leader was never killed (${ran} tests ran, kill after ${killAfter})`).toBeDefined();
      const ms = await kill!.recovered;
      ensemble.startStopped();
      await ensemble.serving();
      const compareFrom = Date.now();
      const nodes = await sameTree(ensemble);
      const compareMs = Date.now() - compareFrom;
      const killed = ensemble.members[kill!.killedId - 1]!;
      // The first sync after the kill is the rejoin (a suite that restarts the whole ensemble later logs more).
      const synced = SYNC_LINE.exec(killed.logText().slice(kill!.logFrom))?.[0] ?? 'no sync line logged: it led again';
      console.log(`[ensemble of ${opts.size}] leader ${kill!.killedId} killed after test ${killAfter} of ${total} (${kill!.afterTest}); `
        + `served again ${ms} ms later; it rejoined ${rejoin} (${synced}); all ${opts.size} hold the same ${nodes} nodes (compared in ${compareMs} ms)`);
    });
  }
  return async () => {
    ensemble = await startPaddockEnsemble(opts.size, settings);
    return ensemble;
  };
}

/**
 * Waits (bounded) until every member, once synced with the leader, holds the same tree node
 * for node, data and Stat; resolves with its size. On timeout it fails with the last differences.
 */
async function sameTree(ensemble: PaddockEnsemble): Promise<number> {
  let diffs: string[] = [];
  let size = 0;
  try {
    await until('every member holding the same tree', async () => {
      const trees = await Promise.all(ensemble.members.map((m) => treeAt(m.clientPort)));
      diffs = trees.slice(1).flatMap((t, i) => treeDiff(trees[0]!, t).map((d) => `member ${i + 2} vs 1: ${d}`));
      size = trees[0]!.size;
      return diffs.length === 0;
    }, AGREE_MS, 500);
  } catch (err) {
    throw new Error(`${(err as Error).message}; the last differences:\n${diffs.slice(0, 20).join('\n')}`);
  }
  return size;
}

/** Tests of the suite that will run (skipped and todo ones left out). */
function runnableTests(task: RunnerTask): number {
  if (task.type !== 'suite') return task.mode === 'run' || task.mode === 'only' ? 1 : 0;
  return task.tasks.reduce((n, t) => n + runnableTests(t), 0);
}
