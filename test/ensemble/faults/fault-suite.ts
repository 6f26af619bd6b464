import { seedFromEnv } from '@paddock/edges';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutZooKeeper } from '../../support/zookeeper.js';
import type { Kind } from '../support/mixed.js';
import { type FaultEnsemble, TIMING, startFaultEnsemble } from './fault-ensemble.js';
import { FAULT_KINDS, type FaultKind } from './faults.js';
import { type RoundResult, runRound } from './round.js';

export interface FaultSuiteOptions {
  readonly title: string;
  /** The test file, for the replay line a failure prints. */
  readonly file: string;
  readonly seats: readonly Kind[];
  /** Rounds when FAULT_ROUNDS is not set; default one of each kind the ensemble can have. */
  readonly rounds?: number;
}

/** Time budget per round by default: rounds past the budget are not started. */
const ROUND_BUDGET_S = 60;
/** A round that started within the budget may take this much more (its own waits are bounded). */
const LAST_ROUND_MS = 300_000;
const MAX_ROUNDS = 10_000;

function envInt(name: string, fallback: number, max: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} must be an integer in 1..${max}, got "${text}"`);
  return n;
}

/**
 * The kinds the seats can have (each one left out is said, with why), limited by
 * FAULT_KINDS=partition,kill when set (the seed picks among those left).
 */
function chosenKinds(title: string, seats: readonly Kind[]): readonly FaultKind[] {
  const text = process.env.FAULT_KINDS;
  const names = text ? text.split(',').map((s) => s.trim()) : FAULT_KINDS.map((k) => k.name);
  const bad = names.filter((n) => !FAULT_KINDS.some((k) => k.name === n));
  if (bad.length > 0) throw new Error(`FAULT_KINDS: unknown kind(s) ${bad.join(', ')} (kinds: ${FAULT_KINDS.map((k) => k.name).join(', ')})`);
  const out = FAULT_KINDS.filter((k) => {
    if (!names.includes(k.name)) return false;
    const why = k.unavailable?.(seats) ?? null;
    if (why) console.warn(`[SKIP] fault kind ${k.name} in ${title}: ${why}`);
    return why === null;
  });
  if (out.length === 0) throw new Error(`no fault kind left for ${title} (FAULT_KINDS=${text ?? ''})`);
  return out;
}

function line(r: RoundResult): string {
  const unknown = [...r.unknown].map(([k, n]) => `${k} ${n}`).join(', ');
  const verdict = r.failures.length === 0 ? 'ok' : `FAILED (${r.failures.length})`;
  return `round ${r.index} seed ${r.seed} ${r.kind}: ${r.detail}; ${r.ops} ops (${r.open} open${unknown ? `: ${unknown}` : ''}), `
    + `${r.acked} acked creates, checker ${r.verdict}, ${verdict}, ${(r.ms / 1000).toFixed(1)} s`;
}

/** How many ticks minority leaders took to stop leading, by how their links went down. */
function stepDowns(results: readonly RoundResult[]): string {
  const parts: string[] = [];
  for (const mode of ['drop', 'cut'] as const) {
    const ticks = results.flatMap((r) => (r.stepDown?.mode === mode ? [r.stepDown.ticks] : []));
    if (ticks.length > 0) parts.push(`${mode} ${Math.min(...ticks).toFixed(1)}..${Math.max(...ticks).toFixed(1)} (${ticks.length})`);
  }
  return parts.length === 0 ? '' : `; minority leaders stopped leading after (ticks, syncLimit ${TIMING.syncLimit}): ${parts.join(', ')}`;
}

function summary(results: readonly RoundResult[], ms: number): string {
  const kinds = new Map<string, number>();
  for (const r of results) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
  const failed = results.filter((r) => r.failures.length > 0);
  const violations = results.filter((r) => r.verdict === 'violation').length;
  const lost = results.flatMap((r) => r.failures.filter((f) => f.includes('acknowledged under'))).length;
  return `${results.length} rounds in ${(ms / 1000).toFixed(0)} s (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}); `
    + `${results.reduce((s, r) => s + r.ops, 0)} ops, ${results.reduce((s, r) => s + r.acked, 0)} acked creates checked; `
    + `${violations} linearizability violations, ${lost} servers missing acknowledged writes, ${failed.length} rounds failed${stepDowns(results)}`;
}

/**
 * Fault rounds against an ensemble of the given seats, every peer link through the test's
 * proxies. FAULT_ROUNDS sets the count, FAULT_SEED the first round's seed (round i uses
 * seed + i; a failing round prints its own, and FAULT_SEED=<it> FAULT_ROUNDS=1 plays its
 * schedule again: the same fault, members by role and timings, on a fresh ensemble, with the
 * machine's interleaving),
 * FAULT_KINDS the kinds, FAULT_BUDGET_S the time after which no new round starts.
 */
export function faultSuite(o: FaultSuiteOptions): void {
  const skip = o.seats.includes('zk') && skipWithoutZooKeeper(o.title);
  const kinds = skip ? FAULT_KINDS : chosenKinds(o.title, o.seats);
  const rounds = envInt('FAULT_ROUNDS', o.rounds ?? kinds.length, MAX_ROUNDS);
  const budgetMs = envInt('FAULT_BUDGET_S', rounds * ROUND_BUDGET_S, 7 * 24 * 3600) * 1000;
  const base = seedFromEnv('FAULT_SEED');
  describe.skipIf(skip)(o.title, () => {
    let fe: FaultEnsemble | undefined;
    beforeAll(async () => {
      fe = await startFaultEnsemble(o.seats, TIMING);
    }, 300_000);
    afterAll(async () => {
      await fe?.stop();
    }, 60_000);

    it(`${rounds} seeded fault rounds (${kinds.map((k) => k.name).join(', ')}): no violation, no acknowledged write lost`, async () => {
      const replay = (seed: number): string => `FAULT_SEED=${seed} FAULT_ROUNDS=1${process.env.FAULT_KINDS ? ` FAULT_KINDS=${process.env.FAULT_KINDS}` : ''} npx vitest run ${o.file}`;
      console.log(`${o.title}: ${rounds} rounds from seed ${base} (replay one: ${replay(base)})`);
      const env = { ens: fe!.ens, net: fe!.net, tickTime: TIMING.tickTime, syncLimit: TIMING.syncLimit, kinds };
      const started = Date.now();
      const results: RoundResult[] = [];
      for (let i = 0; i < rounds; i++) {
        if (Date.now() - started > budgetMs) {
          console.warn(`[BUDGET] ${o.title}: ${i} of ${rounds} rounds within FAULT_BUDGET_S=${budgetMs / 1000}; the rest not started`);
          break;
        }
        const seed = (base + i) >>> 0;
        const r = await runRound(env, i, seed).catch(async (e: Error) => {
          throw new Error(`round ${i} seed ${seed} did not finish: ${e.message}\nreplay: ${replay(seed)}\n${await fe!.describe()}`);
        });
        results.push(r);
        console.log(line(r));
        for (const f of r.failures) console.error(`round ${i} seed ${seed}: ${f}\nreplay: ${replay(seed)}`);
      }
      console.log(`${o.title}: ${summary(results, Date.now() - started)}`);
      const failed = results.filter((r) => r.failures.length > 0);
      if (failed.length > 0) console.error(await fe!.describe());
      expect(failed.map((r) => `round ${r.index} seed ${r.seed} ${r.kind}: ${r.failures.join('\n')}`)).toEqual([]);
    }, budgetMs + LAST_ROUND_MS);
  });
}
