import type { Coverage } from './coverage.js';
import { FaultInjector } from './faults.js';
import type { History } from './history.js';
import { SimViolation } from './invariants.js';
import { type Knobs, formatKnobs } from './knobs.js';
import { SimClient } from './sim-client.js';
import { World } from './world.js';

/** Events between full sweeps of every server's tree (the incremental checks run at every step). */
const SWEEP_EVERY = 50;
/** A bound on the heal phase's events, whatever its simulated time. */
const MAX_RECOVERY_STEPS = 50_000;

/** A checker of a finished schedule's client history (the linearizability checker plugs in here): null when it passes. */
export type HistoryChecker = (history: History) => string | null;

export interface ScheduleResult {
  readonly seed: number;
  readonly knobs: Knobs;
  /** What broke, or null. */
  readonly violation: string | null;
  readonly steps: number;
  readonly simMs: number;
  readonly history: History;
  readonly coverage: Coverage;
  /** The failing schedule's report: replay line, the violation, last events, every server. */
  readonly report: string;
}

/**
 * Runs one schedule: the servers start, clients work while faults come and go for `steps`
 * events; then every fault heals (crashed servers and clients restart), the clients stop
 * issuing ops, and within `recoveryMs` of simulated time a probe client's write must be
 * acknowledged and every server serve (liveness). Invariants are checked as every event changes what they speak of; any
 * exception out of the servers' code counts as a violation too.
 */
export interface ScheduleOptions {
  /** Judges the client history once the schedule ends (the linearizability checker's seam). */
  readonly checker?: HistoryChecker;
  /** Scripted events on top of the random faults (a directed scenario): called once everything is set up. */
  readonly script?: (w: World) => void;
}

export async function runSchedule(seed: number, knobs: Knobs, opts: ScheduleOptions = {}): Promise<ScheduleResult> {
  const w = new World(seed, knobs);
  let violation: string | null = null;
  try {
    for (const s of w.servers) w.after(w.rnd() * 20, () => s.start());
    for (let i = 0; i < knobs.clients; i++) {
      const c = new SimClient(w, i);
      w.clients.push(c);
      // Around the first election's end (the finalize wait is 200 ms): fewer refused connects at start.
      c.start(100 + w.rnd() * 200);
    }
    const faults = new FaultInjector(w);
    faults.start();
    opts.script?.(w);
    await run(w, knobs.steps, () => false);
    faults.healAll();
    for (const c of w.clients) c.quiet = true;
    const probe = new SimClient(w, knobs.clients, true);
    probe.start(0);
    const healedAt = w.now;
    const allServe = (): boolean => w.servers.every((s) => s.serving);
    const recovered = await run(w, MAX_RECOVERY_STEPS, () => (probe.probed && allServe()) || w.now - healedAt > knobs.recoveryMs);
    if (!probe.probed || !allServe()) {
      const within = recovered ? `${knobs.recoveryMs} ms` : `${MAX_RECOVERY_STEPS} events`;
      const idle = w.servers.filter((s) => !s.serving).map((s) => s.id);
      w.inv.fail(`liveness: ${within} after every fault healed, ${probe.probed ? '' : 'a write is still not acknowledged and '}servers ${idle.join(', ')} do not serve`);
    }
    w.inv.sweep(w.servers);
    violation = w.history.check() ?? opts.checker?.(w.history) ?? null;
  } catch (e) {
    violation = e instanceof SimViolation ? e.message : `${(e as Error).stack ?? String(e)}`;
  }
  return { seed, knobs, violation, steps: w.step, simMs: w.now, history: w.history, coverage: w.cov, report: violation ? report(w, violation) : '' };
}

/** Runs up to `steps` events (or until `done`), settling promised work between events. */
async function run(w: World, steps: number, done: () => boolean): Promise<boolean> {
  for (let i = 0; i < steps; i++) {
    const e = w.queue.pop();
    if (!e) return done();
    w.now = e.at;
    w.step++;
    e.run();
    if (w.waiting) await w.settle();
    if (w.step % SWEEP_EVERY === 0) w.inv.sweep(w.servers);
    if (done()) return true;
  }
  return done();
}

function report(w: World, violation: string): string {
  return [
    `simulator violation: ${violation}`,
    `replay: SIM_SEED=${w.seed} SIM_KNOBS='${formatKnobs(w.knobs)}' npx vitest run test/sim/schedules-1.test.ts`,
    `at step ${w.step}, t=${w.now.toFixed(3)} ms; last events:`,
    ...w.trace.lines().map((l) => `  ${l}`),
    'servers:',
    ...w.servers.map((s) => `  ${s.describe()}`),
  ].join('\n');
}
