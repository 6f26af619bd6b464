import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordServer } from '@paddock/coord-server';
import { Registry, type Provider, type Subscription } from '@paddock/registry';
import { RpcClient } from '@paddock/rpc';
import { Greeter } from '../hello/greeter.js';
import { killAllProviders, ProviderChild, type Exit } from './provider-child.js';
import { Traffic, type Window } from './traffic.js';

// `npm run demo`: a coordination server (in this process, on a free port, with a temporary data
// directory), two hello providers in child processes and a consumer calling them. Provider A is
// stopped gracefully and started again, then B is killed with SIGKILL; the consumer carries on
// without a failed call. About 15 s; Ctrl-C stops everything early.

const CALLERS = 4;
/** Short ticks: sessions are capped at 20 ticks, so a killed provider's session expires within 4 s. */
const TICK_MS = 200;
const PHASE_MAX_MS = 20_000;
const STOP_MAX_MS = 10_000;

const started = Date.now();
function log(line: string): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(4)}s] ${line}`);
}

process.env.PADDOCK_LOG_LEVEL ??= 'warn'; // the server's own log lines would drown the story
const dataDir = mkdtempSync(join(tmpdir(), 'paddock-demo-'));
const providers: ProviderChild[] = [];
const labels = new Map<number, string>();
let server: CoordServer | undefined;
let registry: Registry | undefined;
let client: RpcClient | undefined;
let traffic: Traffic | undefined;
let report: NodeJS.Timeout | undefined;
/** The reports printed so far, and the answers of the last one. */
let reports = 0;
let last: Window = { answers: new Map(), failed: 0 };
let closing: Promise<void> | undefined;
const interrupted = new AbortController();

/** Stops everything this demo started, once; providers still running get SIGTERM, then SIGKILL. */
function closeAll(): Promise<void> {
  closing ??= (async () => {
    clearInterval(report);
    await traffic?.stop();
    await client?.close();
    await registry?.close();
    const alive = providers.filter((p) => p.alive);
    for (const p of alive) p.stop();
    // Not `bounded`: after Ctrl-C the providers still get their time to stop.
    const timer = setTimeout(killAllProviders, STOP_MAX_MS);
    await Promise.all(alive.map((p) => p.exited));
    clearTimeout(timer);
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  })();
  return closing;
}

/** `p`, or a rejection after `ms` or when the demo is interrupted. */
function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = (): void => {};
  const cut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    onAbort = () => reject(new Error('interrupted'));
    interrupted.signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([p, cut]).finally(() => {
    clearTimeout(timer);
    interrupted.signal.removeEventListener('abort', onAbort);
  });
}

/** Lets the story run for at least `minMs` and until `done()` holds (checked every 100 ms), at most PHASE_MAX_MS. */
async function phase(what: string, minMs: number, done: () => boolean): Promise<void> {
  const from = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await bounded(new Promise<void>((resolve) => {
      timer = setInterval(() => {
        if (Date.now() - from >= minMs && done()) resolve();
      }, 100);
    }), PHASE_MAX_MS, what);
  } finally {
    clearInterval(timer);
  }
}

async function startProvider(label: string, connectString: string): Promise<ProviderChild> {
  const p = new ProviderChild(label, connectString, log);
  providers.push(p);
  labels.set(p.pid, label);
  await bounded(p.ready, PHASE_MAX_MS, `provider ${label} to start`);
  return p;
}

/** Providers by label: their URLs carry the pid of their process. */
function describeList(list: readonly Provider[]): string {
  const names = list.map((p) => (p.pid === undefined ? undefined : labels.get(p.pid)) ?? p.address);
  return names.length === 0 ? 'none' : names.join(', ');
}

/** Prints the answers since the last report: "calls in the last second: A 402, B 398 (failed 0)". */
function printWindow(from: Traffic, title: string): void {
  last = from.takeWindow();
  reports++;
  log(`${title}: A ${answers('A')}, B ${answers('B')} (failed ${last.failed})`);
}

function answers(label: string): number {
  return last.answers.get(label) ?? 0;
}

function describeExit(label: string, exit: Exit): string {
  return `provider ${label} exited (${exit.signal ?? `code ${exit.code}`})`;
}

interface Cast {
  readonly connectString: string;
  readonly a: ProviderChild;
  readonly b: ProviderChild;
  readonly watched: Subscription;
  readonly traffic: Traffic;
}

/** The server, providers A and B, and the consumer calling them. */
async function setUp(): Promise<Cast> {
  server = await CoordServer.start({ host: '127.0.0.1', port: 0, dataDir, tickTime: TICK_MS, adminEnabled: false });
  const connectString = `${server.host}:${server.port}`;
  log(`coordination server on ${connectString} (data in ${dataDir})`);
  const a = await startProvider('A', connectString);
  const b = await startProvider('B', connectString);
  registry = await Registry.connect(connectString, { sessionTimeout: 4000 });
  const watched = await registry.discover('Greeter', { version: '^1.0.0' });
  watched.on('change', (list) => log(`registry: providers now ${describeList(list)}`));
  client = new RpcClient({ registry });
  traffic = new Traffic(client.refer(Greeter), (pid) => labels.get(pid) ?? `pid ${pid}`, log);
  log(`consumer: registry lists ${describeList(watched.providers)}; ${CALLERS} callers calling Greeter.hello`);
  return { connectString, a, b, watched, traffic };
}

async function run(): Promise<number> {
  console.log('Paddock demo: a coordination server, two Greeter providers (child processes) and a consumer.\n');
  const { connectString, a, b, watched, traffic: t } = await setUp();
  t.start(CALLERS);
  report = setInterval(() => printWindow(t, 'calls in the last second'), 1000);
  // Each phase lasts until a report shows what it is about.
  await phase('calls from both providers', 2000, () => answers('A') > 0 && answers('B') > 0);

  log('>>> stopping provider A gracefully (SIGTERM): it unregisters, waits for consumers to see it, finishes its calls, exits');
  a.stop();
  log(describeExit('A', await bounded(a.exited, PHASE_MAX_MS, 'provider A to exit')));
  const atExit = reports;
  await phase('B carrying on alone', 1000, () => reports > atExit && answers('A') === 0 && answers('B') > 0);

  log('>>> starting provider A again');
  const again = await startProvider('A', connectString);
  const atRestart = reports;
  await phase('calls to the new A', 1500, () => reports > atRestart && answers('A') > 0 && answers('B') > 0);

  log('>>> killing provider B (SIGKILL): no goodbye; calls in flight on it are retried on A (hello is idempotent)');
  b.kill();
  log(describeExit('B', await b.exited));
  // The first report after the kill also counts calls B answered before it.
  const atKill = reports + 1;
  const dropped = (): boolean => !watched.providers.some((p) => p.pid === b.pid);
  await phase('A alone, and the registry dropping B when its session expires', 1000, () => reports > atKill && answers('A') > 0 && answers('B') === 0 && dropped());

  log('>>> stopping: the consumer stops calling, provider A shuts down gracefully');
  clearInterval(report);
  await t.stop();
  printWindow(t, 'calls since the last line');
  await closeAll();
  log(describeExit('A', await again.exited));
  const ok = t.failed === 0;
  log(`total: ${t.calls} calls, ${t.failed} failed (A ${t.count('A')}, B ${t.count('B')})${ok ? '' : ' -- some calls failed'}`);
  return ok ? 0 : 1;
}

// However the demo ends, no provider process and no data directory are left behind.
process.once('exit', () => {
  killAllProviders();
  rmSync(dataDir, { recursive: true, force: true });
});
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    interrupted.abort();
    log(`${signal}: stopping everything`);
    closeAll().then(() => log('stopped'), (err: unknown) => log(`stopping failed: ${String(err)}`)).finally(() => process.exit(code));
  });
}

try {
  process.exitCode = await run();
} catch (err) {
  if (!interrupted.signal.aborted) {
    log(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    await closeAll().catch(() => undefined);
    process.exitCode = 1;
  }
}
