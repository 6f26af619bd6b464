import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CoordClient, KeeperError } from '@paddock/coord-client';
import { fourLetter } from '../support/zookeeper.js';
import { freePort } from '../support/ports.js';
import { ServerProcess } from './server-process.js';
import { mountTmpfs, tmpfsMissing } from './tmpfs.js';

/**
 * When the disk fails under the txn log or a snapshot, the server stops
 * acknowledging, says why in one line, and exits with status 10 (ZooKeeper's for a storage
 * failure), so a supervisor restarts it; no health check finds it looking alive. Every write
 * it acknowledged before is there after the restart.
 */

const root = mkdtempSync(join(tmpdir(), 'paddock-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const STORAGE_FAILURE = 10;

describe('a disk that fails while serving', () => {
  const servers: ServerProcess[] = [];
  const clients: CoordClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close().catch(() => undefined);
    for (const s of servers.splice(0)) await s.stop();
  });

  async function serve(dataDir: string, opts: { env?: Record<string, string>; zooCfg?: Record<string, string> } = {}): Promise<{ server: ServerProcess; client: CoordClient }> {
    const server = new ServerProcess({ port: await freePort(), dataDir, ...opts });
    servers.push(server);
    await server.start();
    const client = await CoordClient.connect(server.connectString, { sessionTimeout: 10_000 });
    clients.push(client);
    return { server, client };
  }

  /** Creates /w/0, /w/1, … one at a time until one is not acknowledged; returns those that were. */
  async function writeUntilRefused(c: CoordClient, data: Buffer, max: number): Promise<number> {
    await c.create('/w', null).catch((e: unknown) => { if (!(e instanceof KeeperError)) throw e; });
    for (let i = 0; i < max; i++) {
      try {
        await c.create(`/w/${i}`, data);
      } catch (e) {
        if (e instanceof KeeperError) return i;
        throw e;
      }
    }
    throw new Error(`all ${max} writes were acknowledged; the disk never failed`);
  }

  /** After the failure: exit 10 with the one line, nothing answering on the port. */
  async function expectExit(server: ServerProcess, message: RegExp): Promise<void> {
    expect(await server.exited(20_000)).toBe(STORAGE_FAILURE);
    const lines = server.output().split('\n').filter((l) => l.startsWith('coord-server: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).toMatch(/; exiting$/);
    await expect(fourLetter(server.port, 'ruok')).rejects.toThrow(/ECONNREFUSED/);
  }

  /** Restarted on a healthy disk: every acknowledged create is there. */
  async function expectAcknowledged(server: ServerProcess, acked: number): Promise<void> {
    await server.start();
    const c = await CoordClient.connect(server.connectString);
    clients.push(c);
    const names = new Set(await c.getChildren('/w'));
    for (let i = 0; i < acked; i++) expect(names.has(String(i)), `acknowledged /w/${i}`).toBe(true);
  }

  it.each([
    ['txnlog.write=EIO@30', /txn log in .*paddock-v1 failed: EIO \(i\/o error\); no further writes are acknowledged/],
    ['txnlog.write=EACCES@5', /txn log in .*paddock-v1 failed: EACCES \(permission denied\)/],
    ['txnlog.fsync=EROFS@12', /txn log in .*paddock-v1 failed: EROFS \(read-only file system\)/],
    ['snapshot.write=ENOSPC', /snapshot in .*paddock-v1 failed: ENOSPC \(no space left on device\)/],
  ])('injected %s: stops acknowledging, exits 10 with one line, loses no acknowledged write', async (failpoint, message) => {
    const dataDir = join(root, failpoint.replace(/[^a-z0-9]/gi, '-'));
    const { server, client } = await serve(dataDir, { env: { PADDOCK_FAILPOINTS: failpoint }, zooCfg: { snapCount: '20' } });
    const acked = await writeUntilRefused(client, Buffer.from('x'), 500);
    await expectExit(server, message);
    // The same data dir, without the fault.
    const healthy = new ServerProcess({ port: server.port, dataDir });
    servers.push(healthy);
    await expectAcknowledged(healthy, acked);
  });

  // A file system cannot be remounted read-only under open files, so EROFS while serving is
  // injected above; the read-only data dir at start is a real one (data-dir.test.ts).
  const noTmpfs = tmpfsMissing('a real disk that fills up');

  it.skipIf(noTmpfs)('a real full disk (ENOSPC on a small tmpfs): exit 10, and after it grows, every acknowledged write', async () => {
    const disk = mountTmpfs(join(root, 'full'), { sizeBytes: 2 * 1024 * 1024 });
    try {
      const { server, client } = await serve(disk.path, { zooCfg: { snapCount: '100000' } });
      const acked = await writeUntilRefused(client, Buffer.alloc(50_000, 1), 1000);
      await expectExit(server, /txn log in .*paddock-v1 failed: ENOSPC \(no space left on device\)/);
      disk.remount('size=32m');
      await expectAcknowledged(server, acked);
    } finally {
      for (const s of servers.splice(0)) await s.stop();
      disk.unmount();
    }
  });
});
