import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SideName } from '../coord/harness.js';
import { formatCoordTable } from '../coord/report.js';
import type { BenchSuite } from '../suite.js';
import { Cleanup } from '../support/cleanup.js';
import { fourLetter, serverVersion } from '../support/four-letter.js';
import { busyNote, loadLine, machineInfo } from '../support/machine.js';
import { zooKeeperMissing } from '../support/zookeeper.js';
import { formatProfile, summarizeCpuProfile } from '../support/cpu-profile.js';
import { type BenchEnsemble, ENSEMBLE_STARTERS, MEMBER_IDS, memberProfileDir, waitForSettled } from './ensembles.js';
import { type EnsembleBenchCommand, describeParams, parseEnsembleArgs } from './params.js';
import { type FloorResult, measureFloor, singleProfileDir } from './floor.js';
import { formatFloor, formatGaps, formatMemberCpu } from './report.js';
import { READ_WORKLOADS, type ThroughputResult, WRITE_WORKLOADS, runThroughput } from './throughput.js';
import { type GapResult, measureWriteGap } from './write-gap.js';

/** Members' logs (and --profile's profiles) are kept here, a folder per run (git-ignored). */
const WORK_DIR = join(process.cwd(), 'bench', '.work', 'ensemble');

/** Each of our members' hot spots (the leader and followers of the writes as the run printed them), and the floor's single server. */
function printProfiles(profileDir: string): void {
  const runs: [string, string][] = MEMBER_IDS.map((id) => [`our member ${id}`, memberProfileDir(profileDir, id)]);
  const single = singleProfileDir(profileDir);
  if (existsSync(single)) runs.push(['our single server (floor section)', single]);
  for (const [who, dir] of runs) {
    console.log(`\n${who} under --cpu-prof (figures above are with the profiler on):`);
    try {
      for (const line of formatProfile(summarizeCpuProfile(dir, process.cwd(), 15))) console.log(line);
    } catch (err) {
      console.log(`  no profile: ${(err as Error).message}`);
    }
  }
  console.log(`profiles kept in ${profileDir} (open them in Chrome DevTools > Performance)`);
}

export interface EnsembleBenchResult {
  readonly versions: Partial<Record<SideName, string>>;
  readonly floor?: FloorResult;
  readonly writes?: ThroughputResult;
  readonly reads?: ThroughputResult;
  readonly gaps: readonly GapResult[];
  /** srvr's Node count on each ensemble's member 1 at the end (the gap section's tree size). */
  readonly nodeCounts: Partial<Record<SideName, number>>;
}

async function nodeCount(ens: BenchEnsemble): Promise<number> {
  const srvr = await fourLetter(ens.clientPort(MEMBER_IDS[0]!), 'srvr').catch(() => '');
  return Number(/^Node count: (\d+)/m.exec(srvr)?.[1] ?? Number.NaN);
}

function keepLogs(ensembles: readonly BenchEnsemble[], dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const ens of ensembles) {
    for (const id of MEMBER_IDS) {
      const log = ens.logPath(id);
      if (existsSync(log)) copyFileSync(log, join(dir, `${ens.side}-${id}.log`));
    }
  }
}

/**
 * Starts both ensembles (ZooKeeper's first, then ours; both stay up, idle while the other is
 * driven), runs the sections and stops every process it started, also on failure.
 */
export async function runEnsembleBench(
  cmd: EnsembleBenchCommand, say: (line: string) => void, logDir?: string, profileDir?: string,
): Promise<EnsembleBenchResult> {
  const p = cmd.params;
  const sides: SideName[] = cmd.oursOnly ? ['paddock'] : ['zookeeper', 'paddock'];
  const cleanup = new Cleanup();
  const ensembles: BenchEnsemble[] = [];
  try {
    for (const side of sides) {
      say(`starting the ${side} ensemble`);
      const ens = await ENSEMBLE_STARTERS[side](p, profileDir);
      cleanup.add(() => ens.stop());
      ensembles.push(ens);
      await waitForSettled(ens, p.startTimeoutMs);
    }
    const versions: Partial<Record<SideName, string>> = {};
    for (const ens of ensembles) versions[ens.side] = await serverVersion(ens.clientPort(MEMBER_IDS[0]!));
    const floor = cmd.sections.includes('floor') ? await measureFloor(ensembles, p, say, profileDir) : undefined;
    const writes = cmd.sections.includes('writes') ? await runThroughput(ensembles, p, WRITE_WORKLOADS, say) : undefined;
    const reads = cmd.sections.includes('reads') ? await runThroughput(ensembles, p, READ_WORKLOADS, say) : undefined;
    const gaps: GapResult[] = [];
    if (cmd.sections.includes('gap')) for (const ens of ensembles) gaps.push(await measureWriteGap(ens, p, say));
    const nodeCounts: Partial<Record<SideName, number>> = {};
    for (const ens of ensembles) nodeCounts[ens.side] = await nodeCount(ens);
    return { versions, ...(floor ? { floor } : {}), ...(writes ? { writes } : {}), ...(reads ? { reads } : {}), gaps, nodeCounts };
  } finally {
    if (logDir) keepLogs(ensembles, logDir);
    say('stopping the ensembles');
    await cleanup.run();
  }
}

/** The printed report of a run. */
export function formatEnsembleBench(r: EnsembleBenchResult): string[] {
  const out: string[] = [];
  const table = (title: string, t: ThroughputResult): void => {
    out.push('', title, ...formatCoordTable({ ...t, versions: r.versions }), ...formatMemberCpu(t.memberCpu));
  };
  if (r.floor) out.push('', 'floor: one durable writer (1 setData in flight) beside the raw disk:', ...formatFloor(r.floor));
  if (r.writes) table('durable writes (forceSync=yes on every member), each workload\'s sessions all on one member:', r.writes);
  if (r.reads) table('reads, sessions spread over the three members (each answers from its own tree):', r.reads);
  if (r.gaps.length > 0) {
    out.push('', 'write gap: one writer, 1 setData in flight, connect string of all three; the leader kill -9\'ed, then restarted:');
    out.push(...formatGaps(r.gaps));
  }
  out.push('', `znodes at the end: ${Object.entries(r.nodeCounts).map(([s, n]) => `${s} ${n}`).join(', ')}`);
  return out;
}

export const ensembleSuite: BenchSuite = {
  name: 'ensemble',
  description: 'three-server ensembles, Paddock vs Apache ZooKeeper 3.8',
  async run(argv) {
    const cmd: EnsembleBenchCommand = parseEnsembleArgs(argv);
    const missing = cmd.oursOnly ? null : zooKeeperMissing();
    if (missing) throw new Error(`the ensemble bench compares against Apache ZooKeeper: ${missing} (or pass --ours-only)`);
    console.log('ensemble bench: three members per ensemble, each its own process on loopback; same client (@paddock/coord-client) in this process');
    for (const line of machineInfo()) console.log(line);
    const busy = busyNote();
    if (busy) console.log(busy);
    console.log(`params: ${describeParams(cmd.params)}`);
    console.log(`sections: ${cmd.sections.join(', ')}`);
    const started = Date.now();
    const runDir = join(WORK_DIR, new Date().toISOString().replace(/[:.]/g, '-'));
    const profileDir = cmd.profile ? join(runDir, 'cpuprofile') : undefined;
    const result = await runEnsembleBench(cmd, (line) => console.log(`  ${line}`), runDir, profileDir);
    for (const line of formatEnsembleBench(result)) console.log(line);
    console.log(`members' logs kept in ${runDir}`);
    if (profileDir) printProfiles(profileDir);
    console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s; load average now ${loadLine()}`);
  },
};
