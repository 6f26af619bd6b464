import { seededRandom, seedFromEnv } from '@paddock/edges';
import { describe, expect, it } from 'vitest';
import { generateHistory, type GenerateOptions } from './generator.js';
import { checkLinearizability, type ReadMode, zookeeperModel } from './index.js';
import { MUTATIONS } from './mutations.js';

/** Seeds per run; LINCHECK_SEED replays one (a failure prints the seed it ran with). */
const FIRST = seedFromEnv('LINCHECK_SEED', 1);
const RUNS = process.env.LINCHECK_SEED === undefined ? 300 : 1;
const SMALL: GenerateOptions = { clients: 4, ops: 60, keys: 3, parents: 1, spread: 40, noReply: 0.05, stale: 0 };

function check(seed: number, o: GenerateOptions, reads: ReadMode, mutate?: (typeof MUTATIONS)[number]): string | undefined {
  const { history, options } = generateHistory(seed, o);
  const mutated = mutate === undefined ? history : mutate.apply(history, seededRandom(seed));
  if (mutated === undefined) return undefined;
  const r = checkLinearizability(zookeeperModel(options), mutated, { reads, maxSteps: 2_000_000 });
  const expected = mutate === undefined ? 'linearizable' : 'violation';
  if (r.verdict !== expected) {
    const why = r.verdict === 'violation' ? r.violation.text : r.verdict === 'unknown' ? r.reason : '';
    throw new Error(`LINCHECK_SEED=${seed} (${reads}${mutate ? `, ${mutate.name}` : ''}): expected ${expected}, got ${r.verdict}\n${why}`);
  }
  return r.verdict;
}

describe('random histories from a real sequential execution', () => {
  it(`${RUNS} linearizable ones pass in every read mode (from seed ${FIRST})`, () => {
    for (let seed = FIRST; seed < FIRST + RUNS; seed++) {
      for (const reads of ['linearizable', 'sequential', 'excluded'] as const) check(seed, SMALL, reads);
    }
  });

  it(`${RUNS} with stale follower reads pass when plain reads are sequential, and are caught when they must be linearizable`, () => {
    const stale = { ...SMALL, stale: 0.5 };
    let caught = 0;
    for (let seed = FIRST; seed < FIRST + RUNS; seed++) {
      check(seed, stale, 'sequential');
      const { history, options } = generateHistory(seed, stale);
      if (checkLinearizability(zookeeperModel(options), history).verdict === 'violation') caught++;
    }
    expect(caught).toBeGreaterThan(RUNS / 3);
  });

  for (const mutation of MUTATIONS) {
    it(`mutated: ${mutation.name}, fails in ${mutation.failsIn.join(' and ')} mode`, () => {
      let applied = 0;
      for (let seed = FIRST; seed < FIRST + RUNS; seed++) {
        for (const reads of mutation.failsIn) {
          const o = reads === 'sequential' ? { ...SMALL, stale: 0.5 } : SMALL;
          if (check(seed, o, reads, mutation) !== undefined) applied++;
        }
      }
      expect(applied).toBeGreaterThan(RUNS / 10);
    });
  }
});
