import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Log and snapshot files are named after a zxid in hex, as ZooKeeper names its own. */
export const LOG_PREFIX = 'log.';
export const SNAP_PREFIX = 'snapshot.';
/** Our own format, so a folder of its own: ZooKeeper's tools must not mistake it for theirs. */
export const FORMAT_DIR = 'paddock-v1';

export const logFileName = (zxid: number): string => `${LOG_PREFIX}${zxid.toString(16)}`;
export const snapFileName = (zxid: number): string => `${SNAP_PREFIX}${zxid.toString(16)}`;

/** Bytes in the file at `path`; 0 when there is none (or it cannot be read). */
export function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export interface ZxidFile {
  readonly name: string;
  readonly zxid: number;
}

/** Files in `dir` with the prefix, sorted by their zxid, oldest first. */
export function listZxidFiles(dir: string, prefix: string): ZxidFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(prefix) && /^[0-9a-f]+$/.test(n.slice(prefix.length)))
    .map((name) => ({ name, zxid: parseInt(name.slice(prefix.length), 16) }))
    .sort((a, b) => a.zxid - b.zxid);
}

/** Deletes snapshots a crash left half-written (`snapshot.<zxid>.tmp`); recovery never reads them. */
export function removeUnfinishedSnapshots(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (n.startsWith(SNAP_PREFIX) && n.endsWith('.tmp')) rmSync(join(dir, n), { force: true });
  }
}

/** Makes the folder's entries (files created, renamed or removed in it) durable. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes the files in the order given, making each removal durable before the next: a crash
 * part way leaves exactly the files not reached yet, never a later one gone with an earlier kept.
 */
function removeInOrder(dir: string, names: readonly string[]): void {
  for (const name of names) {
    unlinkSync(join(dir, name));
    fsyncDir(dir);
  }
}

/** Cuts the file at `length` bytes, durably: should the cut bytes come back after a power loss, a later log would follow them. */
export function cutFile(file: string, length: number): void {
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, length);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** One change to the files, in an order that keeps every crash in between recoverable. */
export interface DiskStep {
  readonly what: string;
  run(): void | Promise<void>;
}

/** Runs the steps one after the other, each done (and durable) before the next starts. */
export async function runSteps(steps: readonly DiskStep[]): Promise<void> {
  for (const step of steps) await step.run();
}

/** The step that removes one file, durably. */
export const removal = (dir: string, name: string): DiskStep => ({ what: `remove ${name}`, run: () => removeInOrder(dir, [name]) });
