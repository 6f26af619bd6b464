import type { RandomSource } from '@paddock/edges';
import { OpMemory, type RoundKeys, planOp } from './op-mix.js';
import type { Entry, Recorder } from './recorder.js';
import { type Lib, type ZkSession, openSession } from './zk-session.js';

/** One concurrent client of a round: its library and the servers its sessions may use. */
export interface WorkerSpec {
  readonly name: string;
  readonly lib: Lib;
  /** Its connect string's servers; one server: the worker is pinned to it. */
  readonly servers: readonly number[];
}

export interface WorkerEnv {
  readonly connectString: (ids: readonly number[]) => string;
  readonly keys: RoundKeys;
  readonly rng: RandomSource;
  readonly rec: Recorder;
  readonly sessionTimeout: number;
  /** Bound on the ops one worker issues in a round. */
  readonly maxOps: number;
  /** Pause between ops, up to this many ms (random): load, not a wait for anything. */
  readonly thinkMs: number;
}

const RECONNECT_PAUSE_MS = 100;

/** A short name for why an op got no reply: the ZooKeeper error of either library, or the message. */
function errorName(e: unknown): string {
  const err = e as { codeName?: unknown; getName?: unknown };
  if (typeof err.codeName === 'string') return err.codeName;
  if (typeof err.getName === 'function') return String((err.getName as () => string)());
  return e instanceof Error ? e.message.replace(/\d+/g, 'N').slice(0, 60) : String(e);
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A client that issues random ops one at a time and records each. After an op whose outcome
 * is unknown it is a new logical client (the checker lets nothing follow an op without
 * reply) on a new session; the old session is closed without waiting for it.
 */
export class Worker {
  private stopped = false;
  private abandoned = false;
  private loop: Promise<void> = Promise.resolve();
  private session: ZkSession | null = null;
  private readonly closing: Promise<void>[] = [];
  private readonly mem = new OpMemory();
  private generation = 0;
  private seq = 0;
  /** Ops issued, and those whose outcome stayed unknown, by error. */
  issued = 0;
  readonly unknown = new Map<string, number>();

  constructor(readonly spec: WorkerSpec, private readonly env: WorkerEnv) {}

  get via(): number | null {
    return this.spec.servers.length === 1 ? this.spec.servers[0]! : null;
  }

  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped && this.issued < this.env.maxOps) {
      if (!this.session) {
        this.session = await openSession(this.spec.lib, this.env.connectString(this.spec.servers), this.env.sessionTimeout).catch(() => null);
        if (!this.session) await pause(RECONNECT_PAUSE_MS);
        continue;
      }
      await this.one(this.session);
      await pause(Math.floor(this.env.rng() * this.env.thinkMs));
    }
    this.closeSession();
  }

  private closeSession(): void {
    if (this.session) this.closing.push(this.session.close());
    this.session = null;
  }

  private async one(session: ZkSession): Promise<void> {
    const plan = planOp(this.env.rng, this.spec.lib, this.env.keys, this.mem, `${this.spec.name}.${this.seq++}`);
    const entry: Entry = this.env.rec.call(`${this.spec.name}.${this.generation}`, plan.input, this.via, plan.synced);
    this.issued++;
    try {
      if (plan.synced) await session.sync(plan.input.path);
      const out = await session.run(plan.input);
      if (this.abandoned) return;
      this.env.rec.ret(entry, out);
      this.mem.learn(plan.input, out);
    } catch (e) {
      const name = errorName(e);
      this.unknown.set(name, (this.unknown.get(name) ?? 0) + 1);
      this.generation++;
      this.closeSession();
    }
  }

  /** Stops issuing; an op still without reply after `ms` stays open (unknown) in the history. */
  async stop(ms: number): Promise<void> {
    this.stopped = true;
    const done = await Promise.race([this.loop.then(() => true), pause(ms).then(() => false)]);
    if (!done) {
      this.abandoned = true;
      this.closeSession();
    }
    await Promise.all(this.closing.splice(0));
  }
}
