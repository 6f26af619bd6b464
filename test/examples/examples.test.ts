import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { startPaddock } from '../support/paddock.js';
import { freePort } from '../support/ports.js';
import { ExampleProcess, runExample } from './example-process.js';

// Each example (compiled to examples/dist by the global setup's tsc -b) runs against a test
// server, under a chroot of its own, exactly as its README line says, and its output is checked.

let coord: Awaited<ReturnType<typeof startPaddock>>;
let zk: CoordClient;
let chroots = 0;

beforeAll(async () => {
  coord = await startPaddock();
  zk = await CoordClient.connect(coord.connectString);
});
afterAll(async () => {
  await zk.close();
  await coord.stop();
});
afterEach(() => ExampleProcess.killAll());

/** A connect string with a fresh chroot, so no example sees another's nodes. */
async function isolated(name: string): Promise<string> {
  const path = `/${name}-${++chroots}`;
  await zk.create(path, null);
  return `${coord.connectString}${path}`;
}

/** "name 12.3% (n)" pairs of a weighted line, as counts. */
function split(line: string): Map<string, number> {
  return new Map([...line.matchAll(/provider (\w+): [\d.]+% \((\d+)\)/g)].map((m) => [m[1] as string, Number(m[2])]));
}

describe('examples/hello', () => {
  it('the consumer gets the greeting of the provider; the provider stops gracefully on SIGTERM and on Ctrl-C', async () => {
    const cs = await isolated('hello');
    const provider = new ExampleProcess('hello/provider.js', [cs]);
    await provider.line(/^provider \d+ serving Greeter at 127\.0\.0\.1:\d+$/);
    const consumer = await runExample('hello/consumer.js', [cs]);
    expect(consumer.exit).toEqual({ code: 0, signal: null });
    expect(consumer.lines).toEqual([`hello ada, from provider ${provider.pid}`]);
    provider.signal('SIGTERM');
    expect(await provider.exit()).toEqual({ code: 0, signal: null });

    const second = new ExampleProcess('hello/provider.js', [cs]);
    await second.line(/serving Greeter/);
    second.signal('SIGINT');
    expect(await second.exit()).toEqual({ code: 0, signal: null });
  });

  it('a consumer with no provider to call exits non-zero naming NO_PROVIDER', async () => {
    const cs = await isolated('hello-none');
    const consumer = await runExample('hello/consumer.js', [cs]);
    expect(consumer.exit.code).not.toBe(0);
    expect(consumer.stderr).toContain('NO_PROVIDER');
  });

  it('a bad connect string: exits non-zero and says what is wrong with it', async () => {
    for (const script of ['hello/provider.js', 'hello/consumer.js']) {
      const run = await runExample(script, ['127.0.0.1:99999']);
      expect(run.exit.code).not.toBe(0);
      expect(run.stderr).toContain('invalid connect string "127.0.0.1:99999"');
    }
  });
});

describe('examples/http', () => {
  it('serves Greeter over http: a plain POST (what the README\'s curl sends) and the hello consumer both reach it', async () => {
    const cs = await isolated('http');
    const provider = new ExampleProcess('http/provider.js', [cs]);
    const { match } = await provider.line(/serving Greeter at (http:\/\/127\.0\.0\.1:\d+)$/);
    const base = match[1] as string;
    const hello = await fetch(`${base}/Greeter/hello`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '["ada"]' });
    expect(hello.status).toBe(200);
    expect(await hello.json()).toBe(`hello ada, from provider ${provider.pid} over http`);
    const bye = await fetch(`${base}/Greeter/bye`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '["ada"]' });
    expect(bye.status).toBe(404);
    expect(await bye.json()).toEqual({ code: 'UNKNOWN_METHOD', name: 'RpcError', message: 'service Greeter 1.0.0 has no method "bye"' });
    const consumer = await runExample('hello/consumer.js', [cs]);
    expect(consumer.lines).toEqual([`hello ada, from provider ${provider.pid} over http`]);
    provider.signal('SIGTERM');
    expect(await provider.exit()).toEqual({ code: 0, signal: null });
  });
});

describe('examples/weighted', () => {
  it('splits calls 1:3 between providers of weights 100 and 300', async () => {
    const run = await runExample('weighted/weighted.js', [await isolated('weighted')]);
    expect(run.exit).toEqual({ code: 0, signal: null });
    const random = split(run.lines.find((l) => l.startsWith('weighted-random, 2000 calls:')) ?? '');
    const roundRobin = split(run.lines.find((l) => l.startsWith('round-robin, 2000 calls:')) ?? '');
    // Binomial(2000, 0.25): sd ≈ 19.4 calls; six of them either way is a loose bound.
    expect((random.get('A') ?? 0) + (random.get('B') ?? 0)).toBe(2000);
    expect(random.get('A')).toBeGreaterThan(500 - 117);
    expect(random.get('A')).toBeLessThan(500 + 117);
    // Smooth weighted round robin is deterministic: 1 of every 4 calls, give or take its carried state.
    expect(roundRobin.get('A')).toBeGreaterThanOrEqual(497);
    expect(roundRobin.get('A')).toBeLessThanOrEqual(503);
    expect(roundRobin.get('B')).toBe(2000 - (roundRobin.get('A') ?? 0));
    expect(run.lines).toContain('expected from the weights: A 25.0%, B 75.0%');
  });
});

describe('examples/config-toggle', () => {
  it('the app greets loudly while the toggle is on, plainly when it is off, without a restart, and ends after two changes', async () => {
    const cs = await isolated('toggle');
    const app = new ExampleProcess('config-toggle/app.js', [cs]);
    await app.line(/^toggle examples\/shout is false;/);
    const { index: plain } = await app.line(/^hello, ada$/);

    const on = await runExample('config-toggle/flip.js', [cs]);
    expect(on.exit.code).toBe(0);
    expect(on.lines[0]).toBe('examples/shout: null -> true');
    const { index: flipped } = await app.line(/^toggle examples\/shout changed: false -> true$/, plain);
    expect(app.lines[flipped + 1]).toBe('HELLO, ADA!');

    const off = await runExample('config-toggle/flip.js', [cs, 'false']);
    expect(off.lines[0]).toBe('examples/shout: true -> false');
    const { index: back } = await app.line(/^toggle examples\/shout changed: true -> false$/, flipped);
    expect(await app.exit()).toEqual({ code: 0, signal: null });
    expect(app.lines[back + 1]).toBe('hello, ada');
    // Every greeting between the two changes is loud; every one before them plain.
    expect(app.lines.slice(flipped + 1, back).every((l) => l === 'HELLO, ADA!')).toBe(true);
    expect(app.lines.slice(1, flipped).every((l) => l === 'hello, ada')).toBe(true);
  });

  it('flip refuses a value other than true or false', async () => {
    const run = await runExample('config-toggle/flip.js', [await isolated('toggle-bad'), 'maybe']);
    expect(run.exit.code).toBe(1);
    expect(run.stderr).toBe('flip: the value must be true or false, got "maybe"\n');
  });
});

describe('examples/lock', () => {
  it('holders take turns and never overlap; a holder whose session closes hands the lock on', async () => {
    const run = await runExample('lock/lock.js', [await isolated('lock')]);
    expect(run.exit).toEqual({ code: 0, signal: null });
    const events = run.lines.filter((l) => / holds the lock | releases it$| closes its session /.test(l));
    // Strictly alternating: someone takes the lock, the same one lets go, and so on.
    for (let i = 0; i < events.length; i += 2) {
      const who = /^(worker-\d)/.exec(events[i] as string)?.[1];
      expect(events[i]).toMatch(/ holds the lock /);
      expect(events[i + 1]?.startsWith(`${who} `)).toBe(true);
      expect(events[i + 1]).not.toMatch(/ holds the lock /);
    }
    expect(events.filter((l) => / holds the lock \(turn /.test(l))).toHaveLength(6);
    expect(run.lines).toContain('worker-1 is told it lost the lock (SessionLost)');
    expect(run.lines.some((l) => l.startsWith('worker-2 holds the lock (its predecessor'))).toBe(true);
    expect(run.lines.some((l) => l.startsWith('OVERLAP'))).toBe(false);
    expect(run.lines).toContain('holders never overlapped');
  });
});

describe('examples/election', () => {
  it('one leader at a time: it steps down, then the next one\'s session closes, and one leader is left', async () => {
    const run = await runExample('election/election.js', [await isolated('election')]);
    expect(run.exit).toEqual({ code: 0, signal: null });
    const story = run.lines.filter((l) => / leads$| no longer leads /.test(l));
    expect(story).toEqual([
      'candidate-1 leads',
      'candidate-1 no longer leads (Resigned)',
      'candidate-2 leads',
      'candidate-2 no longer leads (SessionLost)',
      'candidate-3 leads',
      'candidate-3 no longer leads (Closed)',
    ]);
    expect(run.lines).toContain('1 leader at the end: candidate-3');
  });
});

describe('bad input', () => {
  it.each([
    ['weighted/weighted.js', 'weighted'],
    ['config-toggle/app.js', 'config-toggle'],
    ['config-toggle/flip.js', 'flip'],
    ['lock/lock.js', 'lock'],
    ['election/election.js', 'election'],
  ])('%s with a bad connect string exits 1 with one line naming the problem', async (script, name) => {
    const run = await runExample(script, ['127.0.0.1:99999']);
    expect(run.exit.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^${name}: .*invalid connect string "127\\.0\\.0\\.1:99999": port 99999 .* is outside 1\\.\\.65535\\n$`));
    expect(run.lines).toEqual([]);
  });
});

/**
 * What examples/README.md promises: whatever goes wrong at the start (a bad connect string, no
 * server there, a port in use, no provider to call), an example exits 1 with one line on
 * stderr naming the problem, never a stack trace.
 */
describe('failures are one line and exit 1', () => {
  /** Every example that takes a connect string, and the name its message starts with. */
  const ALL: readonly (readonly [string, string])[] = [
    ['hello/provider.js', 'provider'],
    ['hello/consumer.js', 'consumer'],
    ['http/provider.js', 'provider'],
    ['weighted/weighted.js', 'weighted'],
    ['config-toggle/app.js', 'config-toggle'],
    ['config-toggle/flip.js', 'flip'],
    ['lock/lock.js', 'lock'],
    ['election/election.js', 'election'],
  ];

  /** Exit 1, nothing on stdout, and stderr one line: the name, then what matches `what`. */
  function expectOneLine(run: Awaited<ReturnType<typeof runExample>>, name: string, what: RegExp): void {
    expect({ code: run.exit.code, stdout: run.lines }, run.stderr).toEqual({ code: 1, stdout: [] });
    expect(run.stderr.split('\n'), run.stderr).toHaveLength(2);
    expect(run.stderr).toMatch(new RegExp(`^${name}: .*${what.source}.*\\n$`));
  }

  it('a bad connect string', async () => {
    const runs = await Promise.all(ALL.map(([script]) => runExample(script, ['127.0.0.1:99999'])));
    runs.forEach((run, i) => expectOneLine(run, ALL[i]?.[1] as string, /invalid connect string "127\.0\.0\.1:99999"/));
  });

  it('a server that cannot be reached', async () => {
    const port = await freePort();
    const runs = await Promise.all(ALL.map(([script]) => runExample(script, [`127.0.0.1:${port}`])));
    runs.forEach((run, i) => expectOneLine(run, ALL[i]?.[1] as string, new RegExp(`no session with 127\\.0\\.0\\.1:${port}`)));
  });

  it('a port in use (the http provider takes its port as the second argument)', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = busy.address() as AddressInfo;
      const run = await runExample('http/provider.js', [await isolated('http-busy'), String(port)]);
      expectOneLine(run, 'provider', new RegExp(`EADDRINUSE.*127\\.0\\.0\\.1:${port}`));
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('no provider to call', async () => {
    const run = await runExample('hello/consumer.js', [await isolated('hello-nobody')]);
    expectOneLine(run, 'consumer', /NO_PROVIDER/);
  });
});
