import { seededRandom } from '@paddock/edges';
import { describe, expect, it } from 'vitest';
import { prefix } from './counterexample.js';
import { generateHistory, type GenerateOptions } from './generator.js';
import { checkLinearizability, zookeeperModel } from './index.js';
import { MUTATIONS } from './mutations.js';
import { preparePartitions } from './prepare.js';
import { searchPartition } from './search.js';

const SMALL: GenerateOptions = { clients: 4, ops: 60, keys: 3, parents: 1, spread: 40, noReply: 0.05, stale: 0 };

describe('the shortest failing prefix, read off the search', () => {
  it('fails at its end and passes one return earlier, on mutated random histories', () => {
    let compared = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const { history, options } = generateHistory(seed, SMALL);
      const mutated = MUTATIONS[seed % MUTATIONS.length]!.apply(history, seededRandom(seed));
      if (mutated === undefined) continue;
      const model = zookeeperModel(options);
      const r = checkLinearizability(model, mutated);
      if (r.verdict !== 'violation') throw new Error(`seed ${seed}: ${r.verdict}`);
      const part = preparePartitions(model, mutated, 'linearizable').find((p) => p.key === r.violation.partition)!;
      const init = model.init(part.key);
      const end = r.violation.prefixEnd;
      const earlier = Math.max(-Infinity, ...part.ops.map((op) => op.ret).filter((t) => t < end));
      expect(searchPartition(model, init, prefix(part.ops, end), 1e6).outcome, `seed ${seed}`).toBe('fail');
      expect(searchPartition(model, init, prefix(part.ops, earlier), 1e6).outcome, `seed ${seed}`).toBe('ok');
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
  });
});
