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
    `os: ${process.platform} ${release()} ${process.arch}, memory ${gib(totalmem())} (free ${gib(freemem())}), load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `node: ${process.version}; java: ${javaLine}`,
  ];
}
