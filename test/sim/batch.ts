import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedFromEnv } from '@paddock/edges';
import { describe, expect, it } from 'vitest';
import { CoverageTally } from './coverage.js';
import { type KnownBug, knownBug } from './known-bugs.js';
import { knobsFor, parseKnobs } from './knobs.js';
import { type ScheduleResult, runSchedule } from './run-schedule.js';

/** Schedules `npm test` runs, split over the files that call scheduleRun (vitest runs files in parallel). */
const DEFAULT_SCHEDULES = 10_000;
/** Failing schedules printed in full; the rest by seed. */
const REPORTS = 3;

/** Writes a failing schedule's report and its client history (one op per line) under SIM_HISTORY_DIR. */
function keep(r: ScheduleResult): void {
  const dir = process.env.SIM_HISTORY_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `seed-${r.seed}.report.txt`), `${r.report}\n`);
  writeFileSync(join(dir, `seed-${r.seed}.history.jsonl`), `${r.history.toJsonLines()}\n`);
}

async function replayOne(seed: number): Promise<void> {
  const r = await runSchedule(seed, knobsFor(seed, parseKnobs(process.env.SIM_KNOBS)));
  keep(r);
  console.log(r.violation ? r.report : `seed ${seed}: no violation in ${r.steps} steps (${r.simMs.toFixed(0)} simulated ms, ${r.history.ops.length} client ops)`);
  const bug = r.violation ? knownBug(r.violation) : undefined;
  if (bug) console.warn(`[KNOWN BUG] ${bug.id}: ${bug.summary}`);
  expect(r.violation === null || bug !== undefined, r.violation ?? '').toBe(true);
}

/**
 * Part `part` of `parts` of the seeded schedules: seeds SIM_BASE + i for i ≡ part (mod parts),
 * SIM_SCHEDULES in all (10,000 by default). Fails on any violation that is not a known,
 * reported runtime bug; prints the run's time, schedules per second, what known bugs it hit and
 * the share of schedules that saw each fault and effect. SIM_SEED (with the SIM_KNOBS a
 * failure printed) replays one schedule instead, in part 0.
 */
export function scheduleRun(part: number, parts: number): void {
  describe(`simulated ensembles, seeded schedules (part ${part + 1} of ${parts})`, () => {
    if (process.env.SIM_SEED) {
      it.runIf(part === 0)(`replays schedule ${process.env.SIM_SEED}`, () => replayOne(seedFromEnv('SIM_SEED')), 120_000);
      return;
    }
    const total = Number(process.env.SIM_SCHEDULES ?? DEFAULT_SCHEDULES);
    if (!Number.isSafeInteger(total) || total < 0) throw new Error(`SIM_SCHEDULES must be a whole number, got "${process.env.SIM_SCHEDULES}"`);
    const base = seedFromEnv('SIM_BASE', 1);
    const count = Math.floor(total / parts) + (part < total % parts ? 1 : 0);
    it(`${count} schedules keep every invariant`, async () => {
      const fixed = parseKnobs(process.env.SIM_KNOBS);
      const tally = new CoverageTally();
      const known = new Map<KnownBug, number[]>();
      const failed: number[] = [];
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = part; i < total; i += parts) {
        const seed = base + i;
        const r = await runSchedule(seed, knobsFor(seed, fixed));
        tally.add(r.coverage);
        if (!r.violation) continue;
        const bug = knownBug(r.violation);
        if (bug) known.set(bug, [...(known.get(bug) ?? []), seed]);
        else if (failed.push(seed) <= REPORTS) console.log(r.report);
        keep(r);
      }
      const wall = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      console.log([
        `${count} schedules (seeds from ${base}, every ${parts}th from +${part}) in ${wall.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU: ${(count / wall).toFixed(0)} schedules/s`,
        failed.length > 0 ? `FAILED: seeds ${failed.join(', ')}` : 'no unknown violation',
        ...[...known].map(([bug, seeds]) => `[KNOWN BUG] ${bug.id} in ${seeds.length} schedules (seeds ${seeds.slice(0, 10).join(', ')}): ${bug.summary}`),
        'share of schedules that saw each fault and effect:',
        tally.table(),
      ].join('\n'));
      expect(failed, `schedules with violations (replay each with SIM_SEED and the SIM_KNOBS printed above)`).toEqual([]);
    }, 900_000);
  });
}
