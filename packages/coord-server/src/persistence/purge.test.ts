import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logFileName, snapFileName } from './files.js';
import { purge } from './purge.js';

const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'paddock-purge-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('autopurge', () => {
  it('keeps the newest snapshots and every log recovery could still need', () => {
    const snaps = tmp();
    const logs = tmp();
    for (const z of [0x10, 0x20, 0x30, 0x40, 0x50]) writeFileSync(join(snaps, snapFileName(z)), 'x');
    for (const z of [0x1, 0x18, 0x28, 0x35, 0x45]) writeFileSync(join(logs, logFileName(z)), 'x');
    const removed = purge(snaps, logs, 3);
    expect(readdirSync(snaps).sort()).toEqual(['snapshot.30', 'snapshot.40', 'snapshot.50']);
    // log.28 may hold txns after zxid 0x30 (the oldest kept snapshot): it stays.
    expect(readdirSync(logs).sort()).toEqual(['log.28', 'log.35', 'log.45']);
    expect(removed.sort()).toEqual(['log.1', 'log.18', 'snapshot.10', 'snapshot.20']);
  });

  it('removes nothing while there are no more snapshots than it keeps', () => {
    const d = tmp();
    for (const z of [0x10, 0x20]) writeFileSync(join(d, snapFileName(z)), 'x');
    writeFileSync(join(d, logFileName(1)), 'x');
    expect(purge(d, d, 3)).toEqual([]);
    expect(readdirSync(d)).toHaveLength(3);
  });
});
