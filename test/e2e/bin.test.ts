import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { VERSION } from '@paddock/coord-server';
import { fourLetter } from '../support/zookeeper.js';
import { freePort } from '../support/ports.js';
import { USAGE as ENSEMBLE_USAGE } from '../../scripts/ensemble/args.js';

const BIN = 'packages/coord-server/bin/coord-server.js';
const CONSOLE_BIN = 'packages/console/bin/paddock-console.js';

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in: ${text}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.split('\n').some((l) => pattern.test(l))) {
        clearTimeout(timer);
        resolve(text);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${text}`)); });
  });
}

describe('coord-server bin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddock-bin-'));
  // A failed assertion must not leave a server behind: every child is killed after its test.
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves on the given port and data dir, then stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, '--port', String(port), '--data-dir', join(dir, 'data'), '--tick-time', '500', '--no-admin'], {
      env: { ...process.env, PADDOCK_LOG_LEVEL: 'info' },
    });
    children.push(child);
    await waitForLine(child, /coordination server listening/);
    // ZooKeeper's default whitelist: srvr only.
    expect(await fourLetter(port, 'srvr')).toMatch(/^Zookeeper version: .*\nMode: standalone/s);
    expect(await fourLetter(port, 'ruok')).toBe('ruok is not executed because it is not in the whitelist.\n');
    expect(existsSync(join(dir, 'data'))).toBe(true);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('still stops on SIGTERM when whoever read its stdout and stderr has gone (EPIPE on the shutdown log line)', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, '--port', String(port), '--data-dir', join(dir, 'data-epipe'), '--no-admin'], {
      env: { ...process.env, PADDOCK_LOG_LEVEL: 'info' },
    });
    children.push(child);
    await waitForLine(child, /coordination server listening/);
    child.stdout?.destroy();
    child.stderr?.destroy();
    // Logged while nobody reads: the connection is logged at info level.
    expect(await fourLetter(port, 'srvr')).toMatch(/^Zookeeper version/);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('reads zoo.cfg with --config (flags override it) and warns about unknown keys', async () => {
    const port = await freePort();
    const cfg = join(dir, 'zoo.cfg');
    writeFileSync(cfg, `tickTime=300\ndataDir=cfgdata\nclientPort=1\n4lw.commands.whitelist=ruok,conf\nadmin.enableServer=false\nsomeFutureKey=x\n`);
    const child = spawn(process.execPath, [BIN, '--config', cfg, '--port', String(port)], {
      env: { ...process.env, PADDOCK_LOG_LEVEL: 'info' },
    });
    children.push(child);
    const output = await waitForLine(child, /coordination server listening/);
    expect(output).toContain('zoo.cfg: unknown key someFutureKey ignored');
    expect(await fourLetter(port, 'ruok')).toBe('imok');
    expect(await fourLetter(port, 'conf')).toContain('tickTime=300');
    expect(existsSync(join(dir, 'cfgdata'))).toBe(true);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('--version prints the version srvr reports, as zkServer.sh version does, and exits 0 without starting', () => {
    const pkg = JSON.parse(readFileSync('packages/coord-server/package.json', 'utf8')) as { version: string };
    expect(VERSION).toBe(`3.8.0-paddock-${pkg.version}`);
    expect(execFileSync(process.execPath, [BIN, '--version', '--data-dir', join(dir, 'never')], { encoding: 'utf8' }))
      .toBe(`Paddock coord-server, version ${VERSION}\n`);
    expect(existsSync(join(dir, 'never'))).toBe(false);
    expect(execFileSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' })).toContain('--version ');
  });

  it('`npm start -- <flags>` hands the flags to the server, as the README says', () => {
    expect(execFileSync('npm', ['start', '--silent', '--', '--version'], { encoding: 'utf8', timeout: 120_000 }))
      .toBe(`Paddock coord-server, version ${VERSION}\n`);
  }, 130_000);

  it('every coord-server flag the READMEs name is one --help lists (or npm run ensemble\'s or paddock-console\'s)', () => {
    const help = (bin: string): string => execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    // `npm run ensemble` and `paddock-console` have flags of their own (their usage lists them); the rest are the server's.
    const listed = new Set([BIN, CONSOLE_BIN].map(help).concat(ENSEMBLE_USAGE).flatMap((u) => u.match(/--[a-z][a-z-]*/g)!));
    for (const readme of ['README.md', 'packages/coord-server/README.md']) {
      const text = readFileSync(readme, 'utf8');
      // The server's sections: up to the next package's (the CLI's own flags come later).
      const server = text.slice(0, text.search(/^## (Test|Embed it)$/m));
      const named = new Set(server.match(/(?<![\w-])--[a-z][a-z-]*/g));
      expect(named.size, readme).toBeGreaterThan(5);
      for (const flag of named) expect(listed, `${readme} names ${flag}`).toContain(flag);
    }
  });

  it('refuses bad flags with a message naming them and a non-zero exit', () => {
    const run = (args: string[]) => {
      try {
        execFileSync(process.execPath, [BIN, ...args], { stdio: 'pipe' });
        return { code: 0, err: '' };
      } catch (e) {
        const x = e as { status: number; stderr: Buffer };
        return { code: x.status, err: x.stderr.toString() };
      }
    };
    expect(run(['--port', 'abc'])).toMatchObject({ code: 1, err: expect.stringContaining('--port expects an integer, got "abc"') });
    expect(run(['--tick-time', '0'])).toMatchObject({ code: 1, err: expect.stringContaining('tickTime must be an integer') });
    expect(run(['--help'])).toMatchObject({ code: 0 });
    const bad = join(dir, 'bad.cfg');
    writeFileSync(bad, 'tickTime=fast\n');
    expect(run(['--config', bad])).toMatchObject({ code: 1, err: expect.stringContaining('bad value for tickTime: "fast"') });
    const ensemble = join(dir, 'ensemble.cfg');
    const ensembleData = join(dir, 'ensemble-data');
    mkdirSync(ensembleData, { recursive: true });
    writeFileSync(join(ensembleData, 'myid'), '2\n');
    // myid names a server the ensemble does not list.
    writeFileSync(join(ensembleData, 'myid'), '3\n');
    writeFileSync(ensemble, `dataDir=${ensembleData}\ninitLimit=5\nsyncLimit=2\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\n`);
    expect(run(['--config', ensemble])).toMatchObject({ code: 1, err: expect.stringMatching(/myid.*3.*not/i) });
    writeFileSync(join(ensembleData, 'myid'), '2\n');
    // A bad ensemble line is refused by name before anything starts.
    writeFileSync(ensemble, `dataDir=${ensembleData}\ninitLimit=5\nsyncLimit=2\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2888:3889\n`);
    expect(run(['--config', ensemble])).toMatchObject({ code: 1, err: expect.stringContaining('zoo.cfg line 5 (server.2=127.0.0.1:2888:3889): quorum address 127.0.0.1:2888 is already') });
    expect(run(['--config', join(dir, 'nope.cfg')])).toMatchObject({ code: 1, err: expect.stringContaining('cannot read config file') });
    // A TLS port must never turn into a plaintext server with a warning.
    const tls = join(dir, 'tls.cfg');
    writeFileSync(tls, `dataDir=${join(dir, 'tls-data')}\nsecureClientPort=2281\nssl.keyStore.location=/etc/zk/keystore.jks\n`);
    expect(run(['--config', tls])).toMatchObject({
      code: 1, err: expect.stringContaining('zoo.cfg line 2: secureClientPort (TLS client connections) is not supported yet'),
    });
    expect(existsSync(join(dir, 'tls-data')), 'refused before it touched the data dir').toBe(false);
  });
});
