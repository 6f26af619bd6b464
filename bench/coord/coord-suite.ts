import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchSuite } from '../suite.js';
import { formatProfile, summarizeCpuProfile } from '../support/cpu-profile.js';
import { machineInfo } from '../support/machine.js';
import { zooKeeperMissing } from '../support/zookeeper.js';
import { runCoordBench, type CoordBenchResult, type SideName } from './harness.js';
import { type CoordBenchCommand, describeBig, describeParams, parseCoordArgs } from './params.js';
import { measureRecovery, type RecoveryResult } from './recovery.js';
import { formatCoordTable, formatRecoveryTable, formatStall, formatUnfinished } from './report.js';
import { measureSnapshotStall } from './snapshot-stall.js';
import { DEFAULT_UNFINISHED, type UnfinishedResult, measureUnfinished } from './unfinished.js';
import { DURABLE_WORKLOADS } from './workloads.js';

const REPO_ROOT = process.cwd();
/** Profiles are kept for DevTools here (git-ignored). */
const PROFILE_DIR = join(REPO_ROOT, 'bench', '.work', 'coord-cpuprofile');

export const coordSuite: BenchSuite = {
  name: 'coord',
  description: 'coordination server vs Apache ZooKeeper 3.8',
  async run(argv) {
    const cmd = parseCoordArgs(argv);
    const missing = cmd.oursOnly ? null : zooKeeperMissing();
    if (missing) throw new Error(`the coord bench compares against Apache ZooKeeper: ${missing} (or pass --ours-only)`);
    const sides: SideName[] = cmd.oursOnly ? ['paddock'] : ['zookeeper', 'paddock'];
    console.log('coord bench: same client (@paddock/coord-client) in this process, each server in its own process, same zoo.cfg durability');
    for (const line of machineInfo()) console.log(line);
    if (loadavg()[0]! > cpus().length / 2) {
      console.log(`note: the machine is busy (load ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores): absolute numbers are noisy; compare the per-round ratios`);
    }
    console.log(`params: ${describeParams(cmd.params)}`);
    console.log(`sections: ${cmd.sections.join(', ')}`);
    if (cmd.sections.some((x) => x === 'recovery' || x === 'stall')) console.log(describeBig(cmd.big, cmd.params.dataBytes));
    const profileDir = cmd.profile ? join(PROFILE_DIR, new Date().toISOString().replace(/[:.]/g, '-')) : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const started = Date.now();
    const progress = (line: string): void => console.log(`  ${line}`);
    if (cmd.sections.includes('main')) {
      const result = await runCoordBench({
        params: cmd.params,
        sides,
        ...(profileDir ? { cpuProfileDir: profileDir } : {}),
        progress,
      });
      console.log('');
      for (const line of formatCoordTable(result)) console.log(line);
    }
    if (cmd.sections.includes('durable')) {
      const result = await durable(cmd, sides, progress);
      console.log(`\ndurable writes: forceSync=yes on both servers (our fdatasync group commit vs ZooKeeper's), same disk:`);
      for (const line of formatCoordTable(result)) console.log(line);
    }
    if (cmd.sections.includes('recovery')) {
      const results: RecoveryResult[] = [];
      for (const side of sides) results.push(await measureRecovery(side, { ...cmd.big, dataBytes: cmd.params.dataBytes }, progress));
      console.log(`\nrecovery and memory, ${cmd.big.znodes.toLocaleString('en-US')} znodes (process start until srvr reports a version; RSS from /proc when it does):`);
      for (const line of formatRecoveryTable(results)) console.log(line);
    }
    if (cmd.sections.includes('stall')) {
      const result = await measureSnapshotStall(cmd.big.znodes, 2);
      console.log('\nsnapshot stall:');
      for (const line of formatStall(result)) console.log(line);
    }
    if (cmd.sections.includes('unfinished')) {
      const results: UnfinishedResult[] = [];
      for (const side of sides) results.push(await measureUnfinished(side, DEFAULT_UNFINISHED, progress));
      console.log(`\nunfinished frames: ${DEFAULT_UNFINISHED.connections} connections each send half of a 1 MB frame and stall (RSS from /proc, 1 s after the last byte):`);
      for (const line of formatUnfinished(results)) console.log(line);
    }
    console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    if (profileDir) {
      console.log('\nour server under --cpu-prof (throughput above is with the profiler on):');
      for (const line of formatProfile(summarizeCpuProfile(profileDir, REPO_ROOT))) console.log(line);
      console.log(`profile kept in ${profileDir} (open it in Chrome DevTools > Performance)`);
    }
  },
};

/** setData and create with every write fdatasync'ed before its reply, on both servers. */
function durable(cmd: CoordBenchCommand, sides: readonly SideName[], progress: (line: string) => void): Promise<CoordBenchResult> {
  return runCoordBench({ params: { ...cmd.params, forceSync: true }, sides, workloads: DURABLE_WORKLOADS, progress });
}
