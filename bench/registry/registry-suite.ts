import { cpus, loadavg } from 'node:os';
import type { BenchSuite } from '../suite.js';
import { machineInfo } from '../support/machine.js';
import { zooKeeperMissing } from '../support/zookeeper.js';
import { runRegistryBench, type SideName } from './harness.js';
import { describeParams, parseRegistryArgs } from './params.js';
import { formatRegistryTable } from './report.js';

export const registrySuite: BenchSuite = {
  name: 'registry',
  description: 'service registry on our server vs Apache ZooKeeper 3.8',
  async run(argv) {
    const cmd = parseRegistryArgs(argv);
    const missing = cmd.oursOnly ? null : zooKeeperMissing();
    if (missing) throw new Error(`the registry bench compares against Apache ZooKeeper: ${missing} (or pass --ours-only)`);
    const sides: SideName[] = cmd.oursOnly ? ['paddock'] : ['zookeeper', 'paddock'];
    console.log('registry bench: @paddock/registry (one registry = one session), consumers spread over driver processes, each server in its own process, same zoo.cfg keys');
    for (const line of machineInfo()) console.log(line);
    if (loadavg()[0]! > cpus().length / 2) {
      console.log(`note: the machine is busy (load ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores): absolute numbers are noisy`);
    }
    console.log(`params: ${describeParams(cmd.params)}`);
    console.log(`sections: ${cmd.sections.join(', ')}`);
    const started = Date.now();
    const result = await runRegistryBench({
      params: cmd.params, sides, sections: cmd.sections, progress: (line) => console.log(`  ${line}`),
    });
    console.log('');
    for (const line of formatRegistryTable(result, cmd.params)) console.log(line);
    console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  },
};
