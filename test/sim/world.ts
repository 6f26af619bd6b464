import { type RandomSource, seededRandom } from '@paddock/edges';
import { Coverage } from './coverage.js';
import { EventQueue, type Scheduled } from './event-queue.js';
import { History } from './history.js';
import { Invariants } from './invariants.js';
import type { Knobs } from './knobs.js';
import { Network } from './network.js';
import type { SimClient } from './sim-client.js';
import { SimServer } from './sim-server.js';
import { Trace } from './trace.js';

/** Lines of trace a failing schedule prints. */
const TRACE_LINES = Number(process.env.SIM_TRACE ?? 80);

/**
 * Everything one schedule runs in: the simulated time and agenda, one seeded random stream
 * (the only source of choice), the network, servers, clients, and what watches them
 * (invariants, trace, coverage, the clients' history).
 */
export class World {
  now = 0;
  /** Events run so far: the step every invariant is checked after. */
  step = 0;
  readonly queue = new EventQueue();
  readonly rnd: RandomSource;
  readonly net: Network;
  readonly servers: SimServer[] = [];
  readonly ids: number[];
  readonly clients: SimClient[] = [];
  readonly trace = new Trace(TRACE_LINES);
  readonly inv = new Invariants();
  readonly cov = new Coverage();
  readonly history = new History();
  private readonly waits: Promise<void>[] = [];
  private sessions = 0n;

  constructor(readonly seed: number, readonly knobs: Knobs) {
    this.rnd = seededRandom(seed);
    this.net = new Network(this);
    this.ids = Array.from({ length: knobs.servers }, (_, i) => i + 1);
    for (const id of this.ids) {
      const rate = 1 + (2 * this.rnd() - 1) * knobs.clockDrift;
      this.servers.push(new SimServer(this, id, rate, this.rnd() * 10_000));
    }
  }

  after(delay: number, run: () => void): Scheduled {
    return this.queue.push(this.now + Math.max(0, delay), run);
  }

  atTime(at: number, run: () => void): Scheduled {
    return this.queue.push(Math.max(at, this.now), run);
  }

  server(id: number): SimServer {
    return this.servers[id - 1]!;
  }

  /** A session id as ZooKeeper lays it out: the server's id in the high byte. */
  newSessionId(serverId: number): bigint {
    this.sessions += 1n;
    return (BigInt(serverId) << 56n) | this.sessions;
  }

  /** Work that finishes in a promise (nextTermState): the run waits for it before the next event. */
  await(p: Promise<void>): void {
    this.waits.push(p);
  }

  get waiting(): boolean {
    return this.waits.length > 0;
  }

  async settle(): Promise<void> {
    while (this.waits.length > 0) await Promise.all(this.waits.splice(0));
  }

  /** A random element. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)]!;
  }

  /** The items in a random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.rnd() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** An exponentially distributed wait with the given mean, capped at 4 means. */
  exp(mean: number): number {
    return Math.min(-Math.log(1 - this.rnd()) * mean, 4 * mean);
  }
}
