import { join } from 'node:path';
import { PaddockProcess } from './paddock-process.js';
import { until } from './wait.js';
import { type Member, ZkEnsemble } from './zk-ensemble.js';

/** What sits in a seat of the ensemble: Debian's ZooKeeper 3.8 or our coord-server, each its own process. */
export type Kind = 'zk' | 'paddock';

/** Timing and peer lines of every seat, of either kind. */
export interface SeatOptions {
  /** ms; default 500. */
  readonly tickTime?: number;
  /** Ticks; default 10. */
  readonly initLimit?: number;
  /** Ticks; default 5. */
  readonly syncLimit?: number;
  /** The server.N lines of one seat's zoo.cfg when they differ per seat (peer links through proxies). */
  readonly peerLines?: (self: Member, members: readonly Member[]) => readonly string[];
}

/** Modes `srvr` reports for a member that serves (anything else reads as 'down'). */
const SERVING = new Set(['leader', 'follower', 'observer']);

/**
 * An ensemble on loopback whose seats (ids 1..n, fixed ports, all participants) are each filled
 * by a ZooKeeper or a Paddock process, started, killed -9, paused (SIGSTOP) and refilled one
 * seat at a time, always by PID. Every ZooKeeper seat has its config written up front, so a
 * seat can change kind (rolling replacement) and each member logs to its server.log, which
 * the tests read to tell how a learner was synced.
 */
export class MixedEnsemble {
  private readonly procs = new Map<number, PaddockProcess>();
  private readonly kinds = new Map<number, Kind>();
  private readonly paused = new Set<number>();

  private constructor(readonly zk: ZkEnsemble, private readonly seats: SeatOptions, private readonly extra: readonly string[]) {}

  /** Writes the configs of seats 1..kinds.length (`extra`: more zoo.cfg lines for every seat, of either kind); starts nothing. */
  static async create(kinds: readonly Kind[], extra: Readonly<Record<string, string>> = {}, seats: SeatOptions = {}): Promise<MixedEnsemble> {
    const timing = { tickTime: seats.tickTime ?? 500, initLimit: seats.initLimit, syncLimit: seats.syncLimit };
    const zk = await ZkEnsemble.start({
      members: kinds.map((_, i) => ({ id: i + 1 })), ...timing, deferLaunch: true, log: true, extra, peerLines: seats.peerLines,
    });
    const ens = new MixedEnsemble(zk, { ...seats, ...timing }, Object.entries(extra).map(([k, v]) => `${k}=${v}`));
    for (const [i, kind] of kinds.entries()) await ens.seatAs(i + 1, kind);
    return ens;
  }

  get ids(): number[] {
    return [...this.kinds.keys()];
  }

  kind(id: number): Kind {
    const k = this.kinds.get(id);
    if (!k) throw new Error(`no seat ${id} in the ensemble (seats ${this.ids.join(', ')})`);
    return k;
  }

  clientPort(id: number): number {
    return this.zk.member(id).clientPort;
  }

  /** `127.0.0.1:port,...` of the given seats (default all), in that order. */
  connectString(ids: readonly number[] = this.ids): string {
    return ids.map((id) => `127.0.0.1:${this.clientPort(id)}`).join(',');
  }

  /** Puts a member of `kind` with empty data in a seat that is down (a Paddock seat's old dir goes). */
  async seatAs(id: number, kind: Kind): Promise<void> {
    if (this.kinds.has(id) && this.pid(id) !== undefined) throw new Error(`seat ${id} is running: kill it first`);
    await this.procs.get(id)?.remove();
    this.procs.delete(id);
    if (kind === 'zk') this.zk.wipe(id);
    else {
      const { tickTime, initLimit, syncLimit } = this.seats;
      this.procs.set(id, new PaddockProcess(id, {
        lines: this.zk.linesOf(id), clientPort: this.clientPort(id), tickTime, initLimit, syncLimit, extra: this.extra,
      }));
    }
    this.kinds.set(id, kind);
  }

  /** Starts the seat's member; `env` (Paddock seats only): more variables for this run, e.g. PADDOCK_FAILPOINTS. */
  start(id: number, env?: Readonly<Record<string, string>>): void {
    if (this.kind(id) === 'paddock') return this.procs.get(id)!.start(env);
    if (env) throw new Error(`seat ${id} is a ZooKeeper: it takes no environment of ours`);
    this.zk.launch(id);
  }

  pid(id: number): number | undefined {
    return this.kind(id) === 'zk' ? this.zk.member(id).pid : this.procs.get(id)!.pid;
  }

  /** kill -9 by PID (a paused process too); resolves once it has exited. */
  async kill(id: number): Promise<void> {
    this.paused.delete(id);
    if (this.kind(id) === 'zk') await this.zk.kill(id);
    else await this.procs.get(id)!.kill();
  }

  /** SIGSTOP: the process keeps its sockets open but reads nothing, as a partitioned server. */
  pause(id: number): void {
    this.signal(id, 'SIGSTOP');
    this.paused.add(id);
  }

  resume(id: number): void {
    this.signal(id, 'SIGCONT');
    this.paused.delete(id);
  }

  private signal(id: number, sig: NodeJS.Signals): void {
    const pid = this.pid(id);
    if (pid === undefined) throw new Error(`seat ${id} is not running`);
    process.kill(pid, sig);
  }

  /** `srvr`'s Mode: leader, follower, observer, or 'down' (not running, paused, or not serving). */
  async mode(id: number): Promise<string> {
    if (this.paused.has(id)) return 'down';
    return this.kind(id) === 'zk' ? this.zk.mode(id) : this.procs.get(id)!.mode();
  }

  /** The file the seat's member logs to. */
  logPath(id: number): string {
    return this.kind(id) === 'zk' ? this.zk.logPath(id) : join(this.procs.get(id)!.dataDir, 'server.log');
  }

  /** The seat's whole server.log (of the member in it now). */
  log(id: number): string {
    return this.kind(id) === 'zk' ? this.zk.logText(id) : this.procs.get(id)!.logText();
  }

  /** Waits until exactly one of the seats leads and the others serve; returns the leader's id. */
  async waitForLeader(ids: readonly number[], ms = 60_000): Promise<number> {
    let modes: string[] = [];
    let leader = 0;
    await until(`a leader among seats ${ids.join(', ')}`, async () => {
      modes = await Promise.all(ids.map((id) => this.mode(id)));
      const leaders = ids.filter((_, i) => modes[i] === 'leader');
      leader = leaders[0] ?? 0;
      return leaders.length === 1 && modes.every((m) => SERVING.has(m));
    }, ms).catch((e: Error) => {
      throw new Error(`${e.message} (modes ${modes.join(', ')})\n${ids.map((id) => `--- seat ${id} (${this.kind(id)}):\n${this.logTail(id)}`).join('\n')}`);
    });
    return leader;
  }

  /**
   * Starts every seat with `leader` elected: it and one other first (with equal zxids the larger
   * id wins, so `leader` must be the largest of the two), then the rest. Starting all at once
   * would let the faster processes (ours start before a JVM) elect among themselves.
   */
  async startLed(leader: number): Promise<void> {
    const other = this.ids.find((id) => id !== leader && id < leader);
    if (other === undefined) throw new Error(`seat ${leader} cannot be elected first: no smaller seat id`);
    this.start(leader);
    this.start(other);
    const first = await this.waitForLeader([leader, other]);
    if (first !== leader) throw new Error(`seat ${first} leads, not ${leader}`);
    for (const id of this.ids) if (id !== leader && id !== other) this.start(id);
    const all = await this.waitForLeader(this.ids);
    if (all !== leader) throw new Error(`seat ${all} leads, not ${leader}`);
  }

  /** Waits until a seat serves (any mode but down). */
  async waitServing(id: number, ms = 60_000): Promise<void> {
    await until(`seat ${id} (${this.kind(id)}) to serve`, async () => SERVING.has(await this.mode(id)), ms).catch((e: Error) => {
      throw new Error(`${e.message}\n${this.logTail(id)}`);
    });
  }

  logTail(id: number, lines = 25): string {
    return this.log(id).split('\n').slice(-lines).join('\n');
  }

  /** Kills every process it started (by PID) and removes every dir; idempotent. */
  async stop(): Promise<void> {
    for (const p of this.procs.values()) await p.remove();
    this.procs.clear();
    this.paused.clear();
    await this.zk.stop();
  }
}
