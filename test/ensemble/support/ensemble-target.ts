import { afterEach, beforeAll, expect, type RunnerTask } from 'vitest';
import { type EnsembleSettings, type PaddockEnsemble, startPaddockEnsemble } from './suite-ensemble.js';

export interface EnsembleTargetOptions {
  readonly size: number;
  /** kill -9 the leader once half the suite's tests have run. */
  readonly killLeader?: boolean;
  /**
   * When the killed leader starts again: 'at once' (it rejoins under the suite's load) or
   * 'after the suite' (the default: the rest of the suite runs on the others, then it must
   * rejoin). 'at once' waits for the runtime fix of a learner that joins by SNAP while
   * proposals are in flight (applies a txn twice, then never rejoins: see the issue 12 notes).
   */
  readonly rejoin?: 'at once' | 'after the suite';
}

/** What a suite's ensemble target did, for the suite's log line. */
interface KillRecord {
  readonly afterTest: string;
  readonly killedId: number;
  /** Resolves with ms from the kill until a new leader and the others serve (measured, never asserted). */
  readonly recovered: Promise<number>;
}

/**
 * An all-Paddock ensemble as the server of one of the project's suites: returns the starter
 * the suite takes. Call it inside the describe block, before the suite registers its own
 * hooks, so that under vitest's 'stack' hook order the kill hook runs after the suite's
 * afterEach cleanup (the test's clients are closed) and the next test starts during the
 * election. With killLeader, after the suite's last test the hook checks that the kill
 * happened and that the ensemble is whole again (the killed one started if still down, a
 * leader, every member serving).
 */
export function paddockEnsembleTarget(settings: EnsembleSettings, opts: EnsembleTargetOptions): () => Promise<PaddockEnsemble> {
  let ensemble: PaddockEnsemble | undefined;
  let killAfter = Number.POSITIVE_INFINITY;
  let ran = 0;
  let kill: KillRecord | undefined;
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
        const killedAt = Date.now();
        const killedId = await ensemble.killLeader({ restart: opts.rejoin === 'at once' });
        // Watched beside the tests that follow, which run through the failover.
        const recovered = ensemble.serving().then(() => Date.now() - killedAt);
        recovered.catch(() => undefined);
        kill = { afterTest: ctx.task.name, killedId, recovered };
      }
      if (ran !== total) return;
      // The last test: the suite's own afterAll stops the ensemble next, so check it here.
      expect(kill, `the leader was never killed (${ran} tests ran, kill after ${killAfter})`).toBeDefined();
      const ms = await kill!.recovered;
      ensemble.startStopped();
      await ensemble.serving();
      console.log(`[ensemble of ${opts.size}] leader ${kill!.killedId} killed after test ${killAfter} of ${total} (${kill!.afterTest}); `
        + `served again ${ms} ms later; it rejoined ${opts.rejoin ?? 'after the suite'}`);
    });
  }
  return async () => {
    ensemble = await startPaddockEnsemble(opts.size, settings);
    return ensemble;
  };
}

/** Tests of the suite that will run (skipped and todo ones left out). */
function runnableTests(task: RunnerTask): number {
  if (task.type !== 'suite') return task.mode === 'run' || task.mode === 'only' ? 1 : 0;
  return task.tasks.reduce((n, t) => n + runnableTests(t), 0);
}
