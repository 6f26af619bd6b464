import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchSuite } from '../suite.js';
import { formatProfile, summarizeCpuProfile } from '../support/cpu-profile.js';
import { busyNote, loadLine, machineInfo } from '../support/machine.js';
import { runRpcBench } from './harness.js';
import { describeParams, parseRpcArgs } from './params.js';
import { formatNotes, formatRpcTable, formatVerdicts } from './report.js';

const REPO_ROOT = process.cwd();
/** Profiles are kept for DevTools here (git-ignored). */
const PROFILE_DIR = join(REPO_ROOT, 'bench', '.work', 'rpc-cpuprofile');

export const rpcSuite: BenchSuite = {
  name: 'rpc',
  description: 'rpc echo: our tcp and http transports vs grpc-js, Moleculer and a raw node:net echo',
  async run(argv) {
    const cmd = parseRpcArgs(argv);
    console.log('rpc bench: the callers in this process, each system\'s server in its own process, one system at a time');
    for (const line of machineInfo()) console.log(line);
    const busy = busyNote();
    if (busy !== null) console.log(`${busy}; compare the per-round ratios`);
    console.log(`params: ${describeParams(cmd.params)}`);
    console.log(`systems: ${cmd.systems.join(', ')}`);
    const profileDir = cmd.profile ? join(PROFILE_DIR, new Date().toISOString().replace(/[:.]/g, '-')) : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const started = Date.now();
    const loadBefore = loadLine();
    const result = await runRpcBench({
      params: cmd.params,
      systems: cmd.systems,
      progress: (line) => console.log(`  ${line}`),
      ...(cmd.profile && profileDir ? { profile: { system: cmd.profile, dir: profileDir } } : {}),
    });
    console.log('');
    for (const line of formatRpcTable(result)) console.log(line);
    console.log('\ntargets:');
    for (const line of formatVerdicts(result, cmd.params)) console.log(line);
    console.log('');
    for (const line of formatNotes(result)) console.log(line);
    console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s; load average at start ${loadBefore}, at end ${loadLine()}`);
    if (cmd.profile && profileDir) {
      for (const side of ['server', 'driver'] as const) {
        console.log(`\n${cmd.profile} ${side} under the profiler (throughput above is with it on):`);
        for (const line of formatProfile(summarizeCpuProfile(join(profileDir, side), REPO_ROOT))) console.log(line);
      }
      console.log(`profiles kept in ${profileDir} (open them in Chrome DevTools > Performance)`);
    }
  },
};
