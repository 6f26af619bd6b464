import { execFile, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { Registry, type Provider, type Subscription } from '@paddock/registry';
import { main } from '../../packages/registry/src/cli/main.js';
import { within } from '../client/waiting.js';
import type { PeerServer } from '../support/zookeeper.js';

const BIN = 'packages/registry/bin/registry.js';

interface Run {
  readonly out: string;
  readonly err: string;
  readonly code: number;
}

/** Runs the CLI in this process; `stop` ends a command that runs until stopped, as Ctrl-C does in the bin. */
async function run(argv: readonly string[], stop?: AbortSignal, onOut?: (text: string) => void): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    out: (t) => { out += t; onOut?.(out); },
    err: (t) => { err += t; },
    ...(stop ? { stop } : {}),
  });
  return { out, err, code };
}

/** The first list of `sub` that passes `ok` (now or at a later change), bounded. */
function listed(sub: Subscription, what: string, ok: (list: readonly Provider[]) => boolean): Promise<readonly Provider[]> {
  return within(what, (done) => {
    if (ok(sub.providers)) {
      done(sub.providers);
      return undefined;
    }
    const onChange = (list: readonly Provider[]): void => { if (ok(list)) done(list); };
    sub.on('change', onChange);
    return () => { sub.off('change', onChange); };
  });
}

const ports = (list: readonly Provider[]): number[] => list.map((p) => p.port).sort((a, b) => a - b);

/**
 * The registry CLI's commands of issue 14 (override, offline/online, config watch, --json,
 * per-command --help, --version) against one kind of server: each test writes with the CLI and
 * checks what a consumer of the registry sees, or the znodes.
 */
export function registryCliSuite(start: () => Promise<PeerServer>): void {
  let peer: PeerServer;
  let zk: CoordClient;
  let registry: Registry;
  let counter = 0;
  beforeAll(async () => {
    peer = await start();
    zk = await CoordClient.connect(peer.connectString);
  });
  afterAll(async () => {
    await registry?.close();
    await zk?.close();
    await peer?.stop();
  });

  /** A fresh root with a registry on it and the CLI's leading options for it. */
  async function fresh(): Promise<{ root: string; cli: (...argv: string[]) => Promise<Run>; reg: Registry }> {
    const root = `/cli${++counter}-${process.pid}/services`;
    await registry?.close();
    registry = await Registry.connect(peer.connectString, { root, sessionTimeout: 4000 });
    const opts = ['--server', peer.connectString, '--root', root];
    return { root, reg: registry, cli: (...argv) => run([...opts, ...argv]) };
  }

  async function providers(reg: Registry, ...portsWanted: number[]): Promise<void> {
    for (const port of portsWanted) {
      await reg.register({ service: 'Greeter', protocol: 'tcp', host: '127.0.0.1', port, version: '1.2.0', methods: ['hello'] });
    }
  }

  describe('override', () => {
    it('sets a weight for one address and disables a host; consumers see both; list shows them; clear undoes them', async () => {
      const { cli, reg } = await fresh();
      await providers(reg, 20001, 20002);
      const sub = await reg.discover('Greeter');
      const set = await cli('override', 'set', 'Greeter', '127.0.0.1:20001', '--weight', '300');
      expect(set).toEqual({ out: 'override://127.0.0.1:20001/Greeter?weight=300\n', err: '', code: 0 });
      await listed(sub, 'weight 300 on 20001', (l) => l.find((p) => p.port === 20001)?.weight === 300);
      expect((await cli('override', 'set', 'Greeter', '--disabled', 'true')).code).toBe(0);
      await listed(sub, 'every instance disabled', (l) => l.length === 0);
      expect(await cli('override', 'list', 'Greeter')).toEqual({
        out: 'override://0.0.0.0/Greeter?disabled=true  target=* disabled=true\n'
          + 'override://127.0.0.1:20001/Greeter?weight=300  target=127.0.0.1:20001 weight=300\n',
        err: '', code: 0,
      });
      const json = await cli('override', 'list', 'Greeter', '--json');
      expect(JSON.parse(json.out)).toEqual([
        { url: 'override://0.0.0.0/Greeter?disabled=true', valid: true, host: null, port: null, disabled: true },
        { url: 'override://127.0.0.1:20001/Greeter?weight=300', valid: true, host: '127.0.0.1', port: 20001, weight: 300 },
      ]);
      expect(await cli('override', 'clear', 'Greeter')).toEqual({ out: '', err: '', code: 0 });
      await listed(sub, 'both back', (l) => l.length === 2);
      expect(await cli('override', 'clear', 'Greeter', '127.0.0.1:20001')).toEqual({ out: '', err: '', code: 0 });
      await listed(sub, 'weight 100 again', (l) => l.every((p) => p.weight === 100));
      // Clearing what is not there is done too: scripts can run it twice.
      expect((await cli('override', 'clear', 'Greeter', '127.0.0.1:20001')).code).toBe(0);
      expect(await cli('override', 'list', 'Greeter', '--json')).toEqual({ out: '[]\n', err: '', code: 0 });
    });

    it('refuses bad targets and values before connecting, and an unknown service after', async () => {
      const { cli } = await fresh();
      const cases: [string[], string][] = [
        [['override', 'set', 'Greeter'], 'override set needs --weight n, --disabled true|false, or both'],
        [['override', 'set', 'Greeter', '--weight', 'heavy'], 'invalid weight "heavy"'],
        [['override', 'set', 'Greeter', '--disabled', 'yes'], '--disabled takes true or false, got "yes"'],
        [['override', 'set', 'Greeter', '10.0.0.5:99999', '--weight', '1'], '"10.0.0.5:99999" is not a target host[:port]'],
        [['override', 'set', 'Greeter', '--weight'], 'override set: no argument found for flag --weight'],
        [['override', 'clear', 'Gr/eeter'], 'invalid service name "Gr/eeter"'],
        [['offline', '10.0.0.5'], '"10.0.0.5" is not an address host:port'],
        [['online', 'bad host:1'], '"bad host:1" is not an address host:port'],
      ];
      for (const [argv, message] of cases) {
        const r = await run(['--server', '127.0.0.1:1', ...argv]);
        expect({ argv, code: r.code, out: r.out }).toEqual({ argv, code: 2, out: '' });
        expect(r.err).toContain(`registry: ${message}`);
      }
      expect(await cli('override', 'list', 'Nope')).toMatchObject({ code: 1, err: expect.stringContaining('no service "Nope"') });
    });
  });

  describe('offline / online', () => {
    it('takes one address out of every service it provides and puts it back, keeping its weight; consumers follow', async () => {
      const { cli, reg, root } = await fresh();
      await providers(reg, 20011, 20012);
      await reg.register({ service: 'Other', protocol: 'tcp', host: '127.0.0.1', port: 20011, version: '1.0.0' });
      const greeters = await reg.discover('Greeter');
      const others = await reg.discover('Other');
      expect((await cli('override', 'set', 'Greeter', '127.0.0.1:20011', '--weight', '7')).code).toBe(0);
      const off = await cli('offline', '127.0.0.1:20011');
      expect(off).toEqual({
        out: 'Greeter offline at 127.0.0.1:20011: override://127.0.0.1:20011/Greeter?weight=7&disabled=true\n'
          + 'Other offline at 127.0.0.1:20011: override://127.0.0.1:20011/Other?disabled=true\n',
        err: '', code: 0,
      });
      await listed(greeters, 'only 20012', (l) => ports(l).join() === '20012');
      await listed(others, 'no Other', (l) => l.length === 0);
      // The provider keeps its registration: only consumers' lists change.
      expect(await zk.getChildren(`${root}/Greeter/providers`)).toHaveLength(2);
      const rows = JSON.parse((await cli('providers', 'Greeter', '--json')).out) as { port: number; disabled: boolean; weight: number }[];
      expect(rows.map((r) => [r.port, r.disabled, r.weight])).toEqual([[20011, true, 100], [20012, false, 100]]);

      const on = await cli('online', '127.0.0.1:20011');
      expect(on).toEqual({
        out: 'Greeter online at 127.0.0.1:20011: override://127.0.0.1:20011/Greeter?weight=7\n'
          + 'Other online at 127.0.0.1:20011: override removed\n',
        err: '', code: 0,
      });
      await listed(greeters, 'both, 20011 at weight 7', (l) => ports(l).join() === '20011,20012' && l[0]?.weight === 7);
      await listed(others, 'Other back', (l) => l.length === 1);
    });

    it('names one service; online enables explicitly under a wider disable; an address without providers fails', async () => {
      const { cli, reg } = await fresh();
      await providers(reg, 20021, 20022);
      const sub = await reg.discover('Greeter');
      expect((await cli('override', 'set', 'Greeter', '127.0.0.1', '--disabled', 'true')).code).toBe(0);
      await listed(sub, 'host disabled', (l) => l.length === 0);
      expect(await cli('online', '127.0.0.1:20022', 'Greeter')).toEqual({
        out: 'Greeter online at 127.0.0.1:20022: override://127.0.0.1:20022/Greeter?disabled=false\n', err: '', code: 0,
      });
      await listed(sub, 'only 20022', (l) => ports(l).join() === '20022');
      expect(await cli('offline', '127.0.0.1:20022', 'Greeter')).toMatchObject({ code: 0 });
      await listed(sub, 'none', (l) => l.length === 0);
      expect(await cli('offline', '127.0.0.1:29999')).toMatchObject({ code: 1, err: expect.stringMatching(/^registry: no provider at 127\.0\.0\.1:29999 under \/cli/) });
      expect(await cli('offline', '127.0.0.1:20021', 'Nope')).toMatchObject({ code: 1, err: expect.stringContaining('no service "Nope"') });
    });
  });

  describe('--json listings', () => {
    it('services, providers, consumers and config list print one JSON document of stable shape', async () => {
      const { cli, reg } = await fresh();
      await providers(reg, 20031);
      await reg.discover('Greeter', { version: '^1.0' });
      await within('consumer node', (done) => {
        const look = (): void => { void cli('consumers', 'Greeter', '--json').then((r) => { if (r.out !== '[]\n') done(r); else setImmediate(look); }); };
        look();
      });
      expect(await cli('services', '--json')).toEqual({ out: '[{"service":"Greeter"}]\n', err: '', code: 0 });
      const [p] = JSON.parse((await cli('providers', 'Greeter', '--json')).out) as Record<string, unknown>[];
      expect(p).toMatchObject({
        valid: true, service: 'Greeter', protocol: 'tcp', host: '127.0.0.1', port: 20031, address: '127.0.0.1:20031',
        version: '1.2.0', group: 'default', weight: 100, registeredWeight: 100, disabled: false, methods: ['hello'], params: {},
      });
      expect(p?.url).toMatch(/^tcp:\/\/127\.0\.0\.1:20031\/Greeter\?/);
      const [c] = JSON.parse((await cli('consumers', 'Greeter', '--json')).out) as Record<string, unknown>[];
      expect(c).toMatchObject({ valid: true, version: '^1.0', group: 'default' });
      const ns = `cli${counter}`;
      expect((await cli('config', 'set', ns, 'a', '{"x":[1]}')).code).toBe(0);
      expect(await cli('config', 'list', ns, '--json')).toEqual({ out: '[{"key":"a","value":{"x":[1]}}]\n', err: '', code: 0 });
      expect(JSON.parse((await cli('config', 'list', '--json')).out)).toContainEqual({ namespace: ns });
    });
  });

  describe('config watch', () => {
    it('prints the value and every change until stopped, then exits 0', async () => {
      const { cli } = await fresh();
      const ns = `watch${counter}`;
      expect((await cli('config', 'set', ns, 'k', '1')).code).toBe(0);
      const stop = new AbortController();
      let seen = '';
      let wake: () => void = () => undefined;
      const running = run(['--server', peer.connectString, 'config', 'watch', ns, 'k'], stop.signal, (out) => { seen = out; wake(); });
      const lines = (n: number): Promise<void> => within(`${n} watch lines`, (done) => {
        wake = () => { if (seen.split('\n').length > n) done(undefined); };
        wake();
      });
      await lines(1);
      expect((await cli('config', 'set', ns, 'k', '{"on":true}')).code).toBe(0);
      await lines(2);
      expect((await cli('config', 'delete', ns, 'k')).code).toBe(0);
      await lines(3);
      stop.abort();
      expect(await running).toEqual({ out: `${ns}/k=1\n${ns}/k={"on":true}\n${ns}/k (missing)\n`, err: '', code: 0 });
    });

    it('as a process: --json lines, and Ctrl-C (SIGINT) ends it with exit code 0', async () => {
      const ns = `binwatch${++counter}`;
      await run(['--server', peer.connectString, 'config', 'set', ns, 'k', '"v"']);
      const child = spawn(process.execPath, [BIN, '--server', peer.connectString, 'config', 'watch', ns, 'k', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        await within('the first line', (done) => { child.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('\n')) done(undefined); }); });
        child.kill('SIGINT');
        expect(await within('exit', (done) => { void exited.then(done); })).toBe(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      expect(JSON.parse(out.trim())).toEqual({ namespace: ns, key: 'k', kind: 'value', value: 'v', version: 0 });
    });
  });

  describe('--help and --version', () => {
    it('prints one command\'s help with --help or registry help <command>, and the version, with exit code 0', async () => {
      const help = await run(['override', 'set', '--help']);
      expect(help.code).toBe(0);
      expect(help.out).toContain('Usage: registry [options] override set [--weight n] [--disabled true|false] <service> [host[:port]]\n');
      expect(help.out).toContain('  --weight n ');
      expect((await run(['help', 'providers'])).out).toContain('--json: [{"url","valid":true');
      const version = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, [BIN, '--version'], { timeout: 15_000 }, (e, out) => (e ? reject(e) : resolve(out)));
      });
      expect(version).toMatch(/^registry \d+\.\d+\.\d+\n$/);
    });
  });
}
