import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordClient, CreateMode } from '@paddock/coord-client';
import { main } from '../../packages/registry/src/cli/main.js';
import { Registry } from '@paddock/registry';
import { systemClock } from '@paddock/edges';
import { startPaddock } from '../support/paddock.js';
import { within } from '../client/waiting.js';
import { freePort } from '../support/ports.js';
import type { PeerServer } from '../support/zookeeper.js';

const BIN = 'packages/registry/bin/registry.js';
const NOW = 1_700_000_000_000;
const STAMP = `pid=${process.pid}&timestamp=${NOW}`;

interface Run {
  readonly out: string;
  readonly err: string;
  readonly code: number;
}

/** Runs the CLI in this process, as the bin would with these arguments. */
async function run(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { out, err, code };
}

/** Runs the committed launcher as its own process (it imports the built dist/, which the global setup builds). */
function spawnBin(...argv: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...argv], { timeout: 15_000, killSignal: 'SIGKILL' }, (error, out, err) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      if (typeof code === 'number') resolve({ out, err, code });
      else reject(new Error(`registry ${argv.join(' ')} did not exit normally: ${String(error)}\n${out}${err}`));
    });
  });
}

/** Resolves once a node's children pass `match`, re-checking on each child watch event. */
function childrenOf(zk: CoordClient, path: string, match: (names: string[]) => boolean): Promise<string[]> {
  return within(`children of ${path}`, (done) => {
    let stopped = false;
    const look = (): void => {
      if (stopped) return;
      // Not there yet: an exists watch tells when it is.
      zk.getChildren(path, look).then(
        (names) => { if (match(names)) done(names); },
        async () => { if (await zk.exists(path, look)) look(); },
      );
    };
    look();
    return () => { stopped = true; };
  });
}

describe('registry CLI against our server', () => {
  let peer: PeerServer;
  let zk: CoordClient;
  let server: string[];
  let registry: Registry;
  beforeAll(async () => {
    peer = await startPaddock();
    zk = await CoordClient.connect(peer.connectString);
    server = ['--server', peer.connectString];
    // A fixed `now`, so the pid and timestamp the registry writes into URLs are known here.
    const clock = { ...systemClock, now: () => NOW };
    registry = await Registry.connect(peer.connectString, { clock, consumerHost: '10.0.0.9' });
    const greeter = { service: 'Greeter', protocol: 'tcp', port: 20880, methods: ['hello', 'bye'] } as const;
    await registry.register({ ...greeter, host: '10.0.0.5', version: '1.2.0' });
    await registry.register({ ...greeter, host: '10.0.0.6', version: '2.0.0', weight: 50 });
    await registry.register({ ...greeter, host: '10.0.0.7', version: '1.2.0' });
    await zk.create('/services/Greeter/providers/not-a-url', null, { mode: CreateMode.EPHEMERAL });
    await registry.setOverride('Greeter', { host: '10.0.0.5', weight: 200 });
    await registry.setOverride('Greeter', { host: '10.0.0.7', port: 20880, disabled: true });
    await registry.discover('Greeter', { version: '^1.0' });
    // discover() does not wait for its consumer node; the consumers test needs it there.
    await childrenOf(zk, '/services/Greeter/consumers', (names) => names.length === 1);
    await zk.create('/services/Empty');
  });
  afterAll(async () => {
    await registry?.close();
    await zk?.close();
    await peer?.stop();
  });

  describe('services', () => {
    it('lists services, one per line', async () => {
      expect(await run(...server, 'services')).toEqual({ out: 'Empty\nGreeter\n', err: '', code: 0 });
    });

    it('lists providers decoded, with version, group and the weight consumers use', async () => {
      const r = await run(...server, 'providers', 'Greeter');
      expect(r.code).toBe(0);
      expect(r.out.split('\n')).toEqual([
        'not-a-url  (invalid: invalid URL "not-a-url": must look like protocol://host:port/service?key=value&...)',
        `tcp://10.0.0.5:20880/Greeter?version=1.2.0&group=default&weight=100&methods=hello,bye&${STAMP}  version=1.2.0 group=default weight=200 (override; URL has 100)`,
        `tcp://10.0.0.6:20880/Greeter?version=2.0.0&group=default&weight=50&methods=hello,bye&${STAMP}  version=2.0.0 group=default weight=50`,
        `tcp://10.0.0.7:20880/Greeter?version=1.2.0&group=default&weight=100&methods=hello,bye&${STAMP}  version=1.2.0 group=default weight=100 disabled`,
        '',
      ]);
    });

    it('lists consumers decoded, with the version and group they ask for', async () => {
      const r = await run(...server, 'consumers', 'Greeter');
      expect(r).toEqual({ out: `consumer://10.0.0.9/Greeter?version=%5E1.0&group=default&${STAMP}  version=^1.0 group=default\n`, err: '', code: 0 });
    });

    it('prints nothing for a service without providers, and fails for an unknown service', async () => {
      expect(await run(...server, 'providers', 'Empty')).toEqual({ out: '', err: '', code: 0 });
      expect(await run(...server, 'consumers', 'Nope')).toEqual({ out: '', err: 'registry: no service "Nope" under /services\n', code: 1 });
    });

    it('lists nothing under a root that does not exist', async () => {
      expect(await run(...server, '--root', '/elsewhere', 'services')).toEqual({ out: '', err: '', code: 0 });
    });
  });

  describe('config', () => {
    it('sets, gets, lists and deletes keys', async () => {
      expect(await run(...server, 'config', 'set', 'app', 'limit', '10')).toEqual({ out: '', err: '', code: 0 });
      expect(await run(...server, 'config', 'set', 'app', 'flags', '{"dark":true,"beta":[1,2]}')).toMatchObject({ code: 0 });
      expect(await run(...server, 'config', 'set', 'app', 'mode', 'dark mode', '--string')).toMatchObject({ code: 0 });
      expect(await run(...server, 'config', 'set', 'app', 'neg', '-1')).toMatchObject({ code: 0 });
      expect(await run(...server, 'config', 'get', 'app', 'flags')).toEqual({ out: '{"dark":true,"beta":[1,2]}\n', err: '', code: 0 });
      expect(await run(...server, 'config', 'get', 'app', 'mode')).toEqual({ out: '"dark mode"\n', err: '', code: 0 });
      expect(await run(...server, 'config', 'get', 'app', 'neg')).toEqual({ out: '-1\n', err: '', code: 0 });
      expect((await zk.getData('/config/app/limit')).data.toString()).toBe('10');
      await zk.create('/config/app/raw', 'not json');
      expect(await run(...server, 'config', 'list', 'app')).toEqual({
        out: 'flags={"dark":true,"beta":[1,2]}\nlimit=10\nmode="dark mode"\nneg=-1\nraw=(invalid: config app/raw holds "not json": not JSON)\n',
        err: '',
        code: 0,
      });
      expect(await run(...server, 'config', 'list')).toMatchObject({ out: expect.stringMatching(/^app$/m), code: 0 });
      expect(await run(...server, 'config', 'delete', 'app', 'limit')).toEqual({ out: '', err: '', code: 0 });
      expect(await zk.exists('/config/app/limit')).toBeNull();
    });

    it('fails with a message for keys that do not exist or do not hold JSON', async () => {
      await zk.create('/config/bad', null).catch(() => undefined);
      await zk.create('/config/bad/k', '{oops');
      expect(await run(...server, 'config', 'get', 'app', 'none')).toEqual({ out: '', err: 'registry: config app/none does not exist\n', code: 1 });
      expect(await run(...server, 'config', 'delete', 'app', 'none')).toEqual({ out: '', err: 'registry: config app/none does not exist\n', code: 1 });
      expect(await run(...server, 'config', 'get', 'bad', 'k')).toEqual({ out: '', err: 'registry: config bad/k holds "{oops": not JSON\n', code: 1 });
      expect(await run(...server, 'config', 'list', 'nothing-here')).toEqual({ out: '', err: '', code: 0 });
    });
  });

  describe('bad arguments: a clear message, exit code 2, no connection needed', () => {
    // Port 1 on loopback: nothing listens, so a command that tried to connect would fail differently.
    const nowhere = ['--server', '127.0.0.1:1'];
    const cases: [string[], string][] = [
      [[], 'no command given'],
      [['nope'], 'unknown command "nope"; run registry --help for the list'],
      [['config'], 'config needs a subcommand: one of get, set, delete, list'],
      [['config', 'put', 'a', 'b'], 'config has no subcommand "put": one of get, set, delete, list'],
      [['providers'], 'providers takes 1 argument(s), got 0\nusage: registry providers [--json] <service>'],
      [['services', 'extra'], 'services takes 0 argument(s), got 1'],
      [['providers', 'a/b'], 'invalid service name "a/b"'],
      [['config', 'get', 'ns'], 'config get takes 2 argument(s), got 1\nusage: registry config get <namespace> <key>'],
      [['config', 'list', 'a', 'b'], 'config list takes 0 to 1 argument(s), got 2'],
      [['config', 'get', 'bad ns', 'k'], 'invalid config namespace "bad ns": must start with a letter or digit'],
      [['config', 'delete', 'ns', '..'], 'invalid config key ".." in namespace "ns"'],
      [['config', 'list', '/x'], 'invalid config namespace "/x"'],
      [['config', 'set', 'ns', 'k', 'dark'], 'value "dark" is not JSON; quote a string (\'"dark"\') or pass --string'],
      [['config', 'set', 'ns', 'k'], 'config set takes 3 argument(s), got 2\nusage: registry config set [--string] <namespace> <key> <json-value>'],
      [['config', 'get', 'ns', 'k', '--string'], 'config get: unknown flag --string'],
      [['--bogus', 'services'], 'unknown option --bogus'],
      [['--timeout', 'soon', 'services'], '--timeout expects a session timeout in milliseconds (1..2147483647), got "soon"'],
      [['--connect-timeout', '0', 'services'], '--connect-timeout expects a connect timeout in milliseconds (1..2147483647), got "0"'],
      [['--server'], 'no argument found for option --server'],
      [['--root', 'services', 'services'], 'invalid root "services": must be an absolute znode path'],
    ];
    for (const [argv, message] of cases) {
      it(`registry ${argv.join(' ') || '(nothing)'}`, async () => {
        const r = await run(...nowhere, ...argv);
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
        expect(r.err).toContain(`registry: ${message}`);
      });
    }

    it('prints the command list for --help and exits 0', async () => {
      const r = await run('--help');
      expect(r.code).toBe(0);
      for (const c of ['services [--json]', 'providers [--json] <service>', 'consumers [--json] <service>', 'config get <namespace> <key>',
        'config set [--string] <namespace> <key> <json-value>', 'config delete <namespace> <key>', 'config list [--json] [namespace]', 'override set [--weight n] [--disabled true|false] <service> [host[:port]]',
        'override clear <service> [host[:port]]', 'offline <host:port> [service]', 'online <host:port> [service]', 'config watch [--json] <namespace> <key>']) {
        expect(r.out).toContain(c);
      }
    });

    it('fails with exit code 1 when the server cannot be reached', async () => {
      const port = await freePort();
      const r = await run('--server', `127.0.0.1:${port}`, '--timeout', '2000', 'services');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(new RegExp(`^registry: cannot connect to 127\\.0\\.0\\.1:${port}: `));
    });
  });

  describe('the bin', () => {
    it('runs as its own process with the exit codes above', async () => {
      expect(await spawnBin(...server, 'config', 'set', 'bin', 'on', 'true')).toEqual({ out: '', err: '', code: 0 });
      expect(await spawnBin(...server, 'config', 'get', 'bin', 'on')).toEqual({ out: 'true\n', err: '', code: 0 });
      expect(await spawnBin(...server, 'services')).toMatchObject({ out: 'Empty\nGreeter\n', code: 0 });
      expect(await spawnBin(...server, 'config', 'get', 'bin', 'off')).toMatchObject({ code: 1 });
      expect(await spawnBin('config', 'get')).toMatchObject({ code: 2, err: expect.stringContaining('config get takes 2 argument(s), got 0') });
    });
  });
});
