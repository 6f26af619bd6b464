import { CoordClient } from '@paddock/coord-client';
import { type RandomSource, seededRandom } from '@paddock/edges';
import type { MixedEnsemble } from '../support/mixed.js';
import { directPeerLinks } from './bypass-check.js';
import { removeSubtree } from './subtree.js';
import { until } from '../support/wait.js';
import { WriteLoad } from '../support/write-load.js';
import type { FaultNet } from './fault-net.js';
import type { FaultContext, FaultKind, FaultOutcome } from './faults.js';
import type { RoundKeys } from './op-mix.js';
import { Recorder } from './recorder.js';
import { checkRound, divergence, finalReads, lostWrites, minorityReport } from './round-checks.js';
import { Worker, type WorkerSpec } from './worker.js';
import { WriteProbe } from './write-probe.js';
import { OP_MS } from './zk-session.js';

/** What the rounds of one suite share: the running ensemble, its links, its timing, the fault kinds. */
export interface RoundEnv {
  readonly ens: MixedEnsemble;
  readonly net: FaultNet;
  readonly tickTime: number;
  readonly syncLimit: number;
  readonly kinds: readonly FaultKind[];
}

export interface RoundResult {
  readonly index: number;
  readonly seed: number;
  readonly kind: string;
  readonly detail: string;
  readonly ops: number;
  /** Ops whose outcome stayed unknown (open in the history). */
  readonly open: number;
  /** Acknowledged creates checked on every server. */
  readonly acked: number;
  /** Why the open ops got no reply: error → count. */
  readonly unknown: ReadonlyMap<string, number>;
  readonly verdict: 'linearizable' | 'violation' | 'unknown';
  /** A minority leader round: how its links went down and how many ticks it took to stop leading. */
  readonly stepDown?: { readonly mode: 'drop' | 'cut'; readonly ticks: number };
  /** What went wrong: a violation, lost writes, diverged copies, a minority leader's late ack. */
  readonly failures: readonly string[];
  readonly ms: number;
}

/** Session timeout the clients ask for (servers clamp it to 2..20 ticks). */
const SESSION_MS = 4000;
/** Bound on every server serving again after a fault healed (elections, syncs, a JVM's restart). */
const SERVE_MS = 90_000;
const BACKLOG_MS = 120_000;
/** Ticks of load before the fault and after the ensemble serves again. */
const PRE_TICKS = 6;
const POST_TICKS = 4;
const MAX_OPS_PER_WORKER = 1500;
const THINK_MS = 20;
/** The checker's step budget for one round. */
const CHECK_STEPS = 20_000_000;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Six clients: ours pinned to each server and one over all, node-zookeeper-client pinned to one and over all. */
function workerSpecs(ids: readonly number[], rng: RandomSource): WorkerSpec[] {
  const shuffled = [...ids].sort(() => rng() - 0.5);
  return [
    ...ids.map((id): WorkerSpec => ({ name: `c${id}`, lib: 'coord', servers: [id] })),
    { name: 'ca', lib: 'coord', servers: shuffled },
    { name: `n${shuffled[0]}`, lib: 'nzc', servers: [shuffled[0]!] },
    { name: 'na', lib: 'nzc', servers: [...shuffled].reverse() },
  ];
}

/** Acknowledged creates of the round, by parent: a steady witness writer and the SNAP fault's backlogs. */
class Witness {
  readonly acked = new Map<string, Set<string>>();
  private readonly loads: { load: WriteLoad; client: CoordClient }[] = [];

  constructor(private readonly ens: MixedEnsemble, private readonly root: string) {}

  async write(parent: string, servers: readonly number[], o: { writers: number; maxWrites: number; data?: Buffer; paceMs?: number }): Promise<WriteLoad> {
    const client = await CoordClient.connect(this.ens.connectString(servers), { sessionTimeout: SESSION_MS, connectTimeout: OP_MS });
    const load = new WriteLoad(client, { parent: `${this.root}/${parent}`, ...o });
    this.loads.push({ load, client });
    this.acked.set(`${this.root}/${parent}`, load.acked);
    await load.start();
    return load;
  }

  get count(): number {
    let n = 0;
    for (const s of this.acked.values()) n += s.size;
    return n;
  }

  /** Stops every writer; a create still in flight after `ms` is left (it was never acknowledged). */
  async stop(ms: number): Promise<void> {
    for (const { load, client } of this.loads.splice(0)) {
      await Promise.race([load.stop(), pause(ms)]);
      await Promise.race([client.close(), pause(ms)]);
    }
  }
}

/** Runs `use` with a session over all servers. */
async function withClient<T>(ens: MixedEnsemble, use: (c: CoordClient) => Promise<T>): Promise<T> {
  const c = await CoordClient.connect(ens.connectString(), { sessionTimeout: SESSION_MS, connectTimeout: OP_MS });
  try {
    return await use(c);
  } finally {
    await c.close();
  }
}

/**
 * One round: clients run, a fault of the kind the seed picks is injected, held and healed,
 * every server serves again, the clients stop, and the round is judged: the history by the
 * linearizability checker (with each server's synced end state in it), every acknowledged
 * create on every server, the servers' copies of the round's subtree alike.
 */
export async function runRound(env: RoundEnv, index: number, seed: number): Promise<RoundResult> {
  const started = Date.now();
  const rng = seededRandom(seed);
  const kind = env.kinds[seed % env.kinds.length]!;
  const { ens } = env;
  const root = `/round-${index}`;
  const keys: RoundKeys = { registers: [0, 1, 2].map((i) => `${root}/r${i}`), queue: `${root}/q` };
  const leader = await ens.waitForLeader(ens.ids, SERVE_MS);
  await withClient(ens, async (c) => {
    await c.create(root);
    await c.create(keys.queue);
  });
  const rec = new Recorder();
  const witness = new Witness(ens, root);
  await witness.write('acked', ens.ids, { writers: 1, maxWrites: 5000, paceMs: 25 });
  const workers = workerSpecs(ens.ids, rng).map((spec, i) => new Worker(spec, {
    connectString: (ids) => ens.connectString(ids), keys, rng: seededRandom((seed + (i + 1) * 0x9e3779b9) >>> 0),
    rec, sessionTimeout: SESSION_MS, maxOps: MAX_OPS_PER_WORKER, thinkMs: THINK_MS,
  }));
  let outcome: FaultOutcome;
  try {
    for (const w of workers) w.start();
    await pause(PRE_TICKS * env.tickTime);
    let backlogs = 0;
    const ctx: FaultContext = {
      ens, net: env.net, leader, tickTime: env.tickTime, syncLimit: env.syncLimit, rng, now: () => rec.now(),
      backlog: async (count, servers) => {
        const load = await witness.write(`bulk-${backlogs++}`, servers, { writers: 16, maxWrites: count, data: Buffer.alloc(1024, 'b') });
        await until(`${count} backlog creates settled`, () => load.settled >= count, BACKLOG_MS);
      },
      probe: (id) => WriteProbe.open(ens.connectString([id]), rec, id, `${root}/probe-`, SESSION_MS),
    };
    outcome = await kind.run(ctx);
    await ens.waitForLeader(ens.ids, SERVE_MS);
    await pause(POST_TICKS * env.tickTime);
  } finally {
    env.net.heal();
    await Promise.all(workers.map((w) => w.stop(OP_MS + 2000)));
    await witness.stop(OP_MS);
  }
  const result = await judge(env, { index, seed, kind: kind.name, started, outcome, keys, root, rec, witness, workers });
  await withClient(ens, (c) => removeSubtree(c, root));
  return result;
}

interface Played {
  readonly index: number;
  readonly seed: number;
  readonly kind: string;
  readonly started: number;
  readonly outcome: FaultOutcome;
  readonly keys: RoundKeys;
  readonly root: string;
  readonly rec: Recorder;
  readonly witness: Witness;
  readonly workers: readonly Worker[];
}

/** Direct member-to-member connections (none when every peer link goes through the proxies). */
async function bypasses(ens: MixedEnsemble): Promise<string[]> {
  const members = ens.ids.map((id) => {
    const m = ens.zk.member(id);
    return { id, pid: ens.pid(id), ports: [m.quorumPort, m.electionPort] };
  });
  const found = await directPeerLinks(members);
  if (found === null) console.warn('[SKIP] the check that no peer connection goes around the proxies: `ss` could not be run');
  return found ?? [];
}

async function judge(env: RoundEnv, p: Played): Promise<RoundResult> {
  await finalReads(env.ens, p.keys, p.rec);
  const minority = p.outcome.minority ? minorityReport(p.outcome.minority, p.rec.entries) : undefined;
  const failures = [
    ...(await bypasses(env.ens)),
    ...(await lostWrites(env.ens, p.witness.acked)),
    ...(await divergence(env.ens, p.root)),
    ...(minority?.violations ?? []),
  ];
  const check = checkRound(p.keys, p.rec, CHECK_STEPS);
  if (check.verdict === 'violation') failures.unshift(check.violation.text);
  if (check.verdict === 'unknown') failures.push(`checker gave no verdict: ${check.reason}`);
  const unknown = new Map<string, number>();
  for (const w of p.workers) for (const [k, n] of w.unknown) unknown.set(k, (unknown.get(k) ?? 0) + n);
  return {
    index: p.index, seed: p.seed, kind: p.kind, detail: minority ? `${p.outcome.detail}; ${minority.tally}` : p.outcome.detail,
    ops: p.rec.entries.length, open: p.rec.entries.filter((e) => e.ret === Infinity).length,
    ...(p.outcome.minority ? { stepDown: { mode: p.outcome.minority.mode, ticks: (p.outcome.minority.stepDown - p.outcome.minority.from) / env.tickTime } } : {}),
    acked: p.witness.count, unknown, verdict: check.verdict, failures, ms: Date.now() - p.started,
  };
}
