import { spawnSync } from 'node:child_process';
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';

/** One line per fact about the machine a benchmark ran on, for the printed report. */
export function machineInfo(): string[] {
  const cpu = cpus();
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const javaLine = java.status === 0 ? (java.stderr.split('\n')[0] ?? '').trim() : 'not found';
  const gib = (b: number): string => `${(b / 2 ** 30).toFixed(1)} GiB`;
  return [
    `cpu: ${cpu.length} cores, ${cpu[0]?.model.trim() ?? 'unknown'}`,
    `os: ${process.platform} ${release()} ${process.arch}, memory ${gib(totalmem())} (free ${gib(freemem())}), load ${loadLine()}`,
    `node: ${process.version}; java: ${javaLine}`,
  ];
}

/** A warning when the machine is busy (1-minute load above half its cores), else null. */
export function busyNote(): string | null {
  const load = loadavg()[0]!;
  const cores = cpus().length;
  return load > cores / 2 ? `note: the machine is busy (load ${load.toFixed(2)} on ${cores} cores): absolute numbers are noisy` : null;
}

/** The three load averages, for a report's first and last lines. */
export function loadLine(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' ');
}
