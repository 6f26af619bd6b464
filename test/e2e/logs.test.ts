import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { freePort } from '../support/ports.js';
import { fourLetter } from '../support/zookeeper.js';

const BIN = 'packages/coord-server/bin/coord-server.js';
const ISO_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO |WARN |ERROR|DEBUG)/;

/** Resolves with what the child printed once `ready()` holds for it, bounded. */
function until(child: ChildProcess, ready: (out: string) => boolean, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`timed out; output: ${out}`)), timeoutMs);
    const check = () => {
      if (ready(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    child.stdout!.on('data', (c: Buffer) => { out += c.toString(); check(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${out}`)); });
    const poll = setInterval(() => { if (child.exitCode !== null) clearInterval(poll); else check(); }, 50);
    timer.unref();
  });
}

/** SIGTERM once the bin has its handlers (a four-letter word answered: main() went on past start). */
async function stop(child: ChildProcess, port: number): Promise<number | null> {
  await fourLetter(port, 'srvr');
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('coord-server logs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddock-logs-'));
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const start = (args: string[]) => {
    const child = spawn(process.execPath, [BIN, '--data-dir', join(dir, `data-${children.length}`), '--no-admin', ...args], {
      env: { ...process.env, PADDOCK_LOG_LEVEL: 'info' },
    });
    children.push(child);
    return child;
  };

  it('json lines into a pipe by default; --log-format pretty gives ISO-timed lines', async () => {
    const port = await freePort();
    const json = start(['--port', String(port)]);
    const first = (await until(json, (o) => o.includes('coordination server listening'))).split('\n')[0]!;
    expect(JSON.parse(first)).toMatchObject({ level: 30, name: 'coord-server' });
    expect(await stop(json, port)).toBe(0);
    const prettyPort = await freePort();
    const pretty = start(['--port', String(prettyPort), '--log-format', 'pretty']);
    const lines = (await until(pretty, (o) => o.includes('coordination server listening'))).trim().split('\n');
    for (const l of lines) expect(l).toMatch(ISO_LINE);
    expect(lines.some((l) => / INFO {2}coordination server listening host=127\.0\.0\.1 port=\d+/.test(l))).toBe(true);
    expect(await stop(pretty, prettyPort)).toBe(0);
  });

  it('--log-file writes there instead of stdout and rolls by size', async () => {
    const log = join(dir, 'logs', 'coord.log');
    const port = await freePort();
    // 100 bytes: every line (recovery, listening, shutting down, stopped, ...) rolls the file.
    const child = start(['--port', String(port), '--log-file', log, '--log-max-size', '100', '--log-max-files', '2']);
    let stdout = '';
    child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); });
    const client = await CoordClient.connect(`127.0.0.1:${port}`, { sessionTimeout: 4000 });
    await client.close();
    expect(await stop(child, port)).toBe(0);
    expect(stdout).toBe('');
    const lines = [`${log}.2`, `${log}.1`, log].map((f) => readFileSync(f, 'utf8'));
    // One whole JSON line a file (json is the default in a file), the newest in coord.log.
    for (const text of lines) expect(text.trim().split('\n').map((l) => JSON.parse(l) as { msg: string })).toHaveLength(1);
    expect(JSON.parse(lines[2]!).msg).toBe('coordination server stopped');
    expect(existsSync(`${log}.3`)).toBe(false);
  });

  it('zoo.cfg names the file with zookeeper.log.dir and zookeeper.log.file', async () => {
    const cfg = join(dir, 'zoo.cfg');
    const port = await freePort();
    writeFileSync(cfg, [`dataDir=${join(dir, 'cfg-data')}`, `clientPort=${port}`, 'admin.enableServer=false',
      'zookeeper.log.dir=cfg-logs', 'zookeeper.log.file=paddock.log', 'zookeeper.log.maxfilesize=10MB', ''].join('\n'));
    const child = spawn(process.execPath, [BIN, '--config', cfg], { env: { ...process.env, PADDOCK_LOG_LEVEL: 'info' } });
    children.push(child);
    const file = join(dir, 'cfg-logs', 'paddock.log');
    const deadline = Date.now() + 15_000;
    while (!(existsSync(file) && readFileSync(file, 'utf8').includes('coordination server listening'))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('no listening line in the zoo.cfg log file');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await stop(child, port)).toBe(0);
  });
});
