import { readFileSync } from 'node:fs';

/** Resident set size of a process in bytes (VmRSS); null where /proc is not available. */
export function rssBytes(pid: number): number | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  return kb === undefined ? null : Number(kb) * 1024;
}
