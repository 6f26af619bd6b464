import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { coordServerBin } from '../../bench/support/coord-server-process.js';
import { freePort } from '../support/ports.js';
import { startPaddock } from '../support/paddock.js';
import { ServerProcess } from './server-process.js';
import { mountTmpfs, tmpfsMissing } from './tmpfs.js';

/**
 * One data directory, one server; a data directory that cannot be
 * used is refused before the client port opens, in one line naming the path, with ZooKeeper's
 * exit status for it (3).
 */

/** Runs the bin to its exit (bounded): its status and what it wrote to stderr and stdout. */
function runBin(args: readonly string[], ms = 20_000): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [coordServerBin(), '--no-admin', ...args], {
      timeout: ms, env: { ...process.env, PADDOCK_LOG_LEVEL: 'info' },
    }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stderr, stdout });
    });
  });
}

const root = mkdtempSync(join(tmpdir(), 'paddock-datadir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('one data directory, one server', () => {
  const servers: ServerProcess[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
  });

  it('a second server on the same --data-dir exits 1 naming the directory and the pid holding it', async () => {
    const dataDir = join(root, 'shared');
    const first = new ServerProcess({ port: await freePort(), dataDir });
    servers.push(first);
    await first.start();
    const c = await CoordClient.connect(first.connectString);
    await c.create('/only-here', 'first');
    const second = await runBin(['--port', String(await freePort()), '--data-dir', dataDir]);
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toBe(
      `coord-server: dataDir ${dataDir} is in use by another coord-server (pid ${first.pid}); stop it, or give this server a data directory of its own`,
    );
    expect(second.stdout, 'it never listened').not.toContain('coordination server listening');
    // The first server goes on, alone with its files.
    expect((await c.getData('/only-here')).data.toString()).toBe('first');
    await c.close();
  });

  it('the lock goes with the process: after kill -9 the next server starts at once', async () => {
    const dataDir = join(root, 'after-kill');
    const first = new ServerProcess({ port: await freePort(), dataDir });
    servers.push(first);
    await first.start();
    await first.kill();
    await first.start();
  });

  it('the same folder by another path (a symlink) is the same lock; so is a shared dataLogDir', async () => {
    const dataDir = join(root, 'real');
    const p = await startPaddock({ dataDir });
    try {
      const link = join(root, 'link');
      symlinkSync(dataDir, link);
      await expect(startPaddock({ dataDir: link })).rejects.toThrow(
        new RegExp(`^dataDir ${link} is in use by another coord-server \\(pid ${process.pid}\\)`),
      );
      await expect(startPaddock({ dataDir: join(root, 'other'), dataLogDir: dataDir })).rejects.toThrow(
        new RegExp(`^dataLogDir ${dataDir} is in use by another coord-server \\(pid ${process.pid}\\)`),
      );
    } finally {
      await p.stop();
    }
    // Released on close.
    const again = await startPaddock({ dataDir });
    await again.stop();
  });
});

describe('a data directory the server cannot use', () => {
  const file = join(root, 'a-file');
  writeFileSync(file, 'not a folder');

  it.each([
    ['a file', file, `dataDir ${file} is not a directory`],
    ['under /proc (Node\'s recursive mkdir spins there)', '/proc/paddock-data', 'dataDir /proc/paddock-data cannot be created: ENOENT (no such file or directory)'],
    ['below a file', join(file, 'data'), `dataDir ${join(file, 'data')} cannot be created: ENOTDIR (not a directory)`],
  ])('%s: exit 3 with one line naming the path, before the client port opens', async (_what, dataDir, message) => {
    const run = await runBin(['--port', String(await freePort()), '--data-dir', dataDir]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(`coord-server: ${message}\n`);
    expect(run.stdout).not.toContain('listening');
  });

  it('a dataLogDir that cannot be used is named as such', async () => {
    const cfg = join(root, 'log-dir.cfg');
    writeFileSync(cfg, `dataDir=${join(root, 'fine')}\ndataLogDir=${file}\n`);
    const run = await runBin(['--port', String(await freePort()), '--config', cfg]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(`coord-server: dataLogDir ${file} is not a directory\n`);
  });

  const noTmpfs = tmpfsMissing('a read-only data directory');
  it.skipIf(noTmpfs)('read-only (a read-only tmpfs): exit 3 naming the path and EROFS', async () => {
    const mount = mountTmpfs(join(root, 'ro'), { readOnly: true });
    try {
      const run = await runBin(['--port', String(await freePort()), '--data-dir', mount.path]);
      expect(run.code).toBe(3);
      expect(run.stderr).toBe(`coord-server: dataDir ${mount.path} cannot be written: EROFS (read-only file system)\n`);
      const below = await runBin(['--port', String(await freePort()), '--data-dir', join(mount.path, 'data')]);
      expect(below.stderr).toBe(`coord-server: dataDir ${join(mount.path, 'data')} cannot be created: EROFS (read-only file system)\n`);
    } finally {
      mount.unmount();
    }
  });

  it('a zoo.cfg without dataDir is refused, as ZooKeeper refuses it', async () => {
    mkdirSync(join(root, 'cfg-only'), { recursive: true });
    const cfg = join(root, 'cfg-only', 'zoo.cfg');
    writeFileSync(cfg, 'tickTime=2000\nclientPort=2181\n');
    const run = await runBin(['--config', cfg]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`coord-server: ${cfg}: dataDir is not set; add dataDir=<folder> (or pass --data-dir)\n`);
  });
});
