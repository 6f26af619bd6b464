import type { World } from './world.js';

/** An election connection between two servers (one per pair, as ElectionLinks keeps them). */
interface ElectionLink {
  broken: boolean;
  redialing: boolean;
  /** Bumped when the connection breaks or is replaced: what was in flight on the old one is lost. */
  generation: number;
  /** Each side's newest message to the other: what a new connection starts with. */
  readonly last: Map<number, () => void>;
  /** Each side's last delivery time on the connection (it is FIFO). */
  readonly lastAt: Map<number, number>;
}

/** What a stream carries to one end: a message, or the other end's close (FIN or reset). */
interface Frame<M> {
  readonly msg: M | null;
  readonly reason: string;
  readonly readyAt: number;
}

/** One end of a stream: what it does with a message and with the other end's close. */
export interface StreamEnd<M> {
  onMessage(msg: M): void;
  onClose(reason: string): void;
}

/** The ports a server listens on; a client or learner dials one. */
export type Port = 'quorum' | 'client';

type Accept<M> = (conn: Stream<M>) => StreamEnd<M> | null;

/**
 * A TCP connection between two nodes: per direction, messages arrive in the order sent, each
 * after a delay; while the link is cut (in either direction: TCP needs both) they wait, as
 * retransmission would, and flow again once it heals. A close travels after what was sent
 * before it (FIN); a reset drops everything in flight and tells both ends.
 */
export class Stream<M> {
  private readonly queues: [Frame<M>[], Frame<M>[]] = [[], []];
  private readonly pumping: [boolean, boolean] = [false, false];
  private readonly ends: [StreamEnd<M> | null, StreamEnd<M> | null] = [null, null];
  open = true;

  constructor(private readonly world: World, readonly a: number, readonly b: number, readonly id: number) {}

  /** The end `node` is (its handlers): 0 for the dialer, 1 for the listener. */
  attach(node: number, end: StreamEnd<M>): void {
    this.ends[node === this.a ? 0 : 1] = end;
  }

  peer(node: number): number {
    return node === this.a ? this.b : this.a;
  }

  send(from: number, msg: M): void {
    if (!this.open) return;
    if (this.world.net.chance('streamReset') || this.world.net.flakyReset(this)) {
      this.world.cov.bump('streamReset');
      this.reset('connection reset');
      return;
    }
    this.enqueue(from === this.a ? 0 : 1, msg, '');
  }

  /** Closes from `from`'s side: it hears nothing more; the other side after what is in flight. */
  close(from: number, reason: string): void {
    if (!this.open) return;
    const dir = from === this.a ? 0 : 1;
    this.ends[dir] = null;
    this.open = false;
    this.enqueue(dir, null, reason);
  }

  /** Both ends hear of it after a delay; nothing in flight arrives. */
  reset(reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.world.net.forget(this as Stream<unknown>);
    this.queues[0].length = 0;
    this.queues[1].length = 0;
    for (const end of this.ends) if (end) this.world.after(this.world.net.delay(), () => end.onClose(reason));
    this.ends[0] = this.ends[1] = null;
  }

  /** The node crashed: its kernel closes the socket (FIN to the other side); it hears nothing more. */
  crashed(node: number): void {
    this.close(node, `${node} went away`);
  }

  /** A cut link healed: what waited flows again. */
  resume(): void {
    this.pump(0);
    this.pump(1);
  }

  private enqueue(dir: 0 | 1, msg: M | null, reason: string): void {
    const q = this.queues[dir];
    const last = q.at(-1)?.readyAt ?? 0;
    q.push({ msg, reason, readyAt: Math.max(this.world.now + this.world.net.delay(), last) });
    this.pump(dir);
  }

  private pump(dir: 0 | 1): void {
    const q = this.queues[dir];
    if (this.pumping[dir] || q.length === 0) return;
    if (this.world.net.cut(this.a, this.b)) return;
    this.pumping[dir] = true;
    this.world.atTime(Math.max(q[0]!.readyAt, this.world.now), () => {
      this.pumping[dir] = false;
      if (this.world.net.cut(this.a, this.b)) return;
      const f = q.shift();
      if (!f) return;
      const to = this.ends[dir === 0 ? 1 : 0];
      if (f.msg === null) {
        this.ends[dir === 0 ? 1 : 0] = null;
        this.world.net.forget(this as Stream<unknown>);
        to?.onClose(f.reason);
      } else {
        to?.onMessage(f.msg);
      }
      this.pump(dir);
    });
  }
}

/**
 * The simulated network: election notifications as datagrams (lost, duplicated, held back
 * and overtaken, cut one way or both), and TCP-like streams for the quorum and client ports.
 * Links are cut by the fault injector; a cut counts per direction and per fault, so faults
 * that overlap undo only their own part.
 */
export class Network {
  private readonly cuts = new Map<number, number>();
  private readonly flaky = new Map<number, number>();
  private readonly streams = new Set<Stream<unknown>>();
  private readonly election = new Map<number, ElectionLink>();
  private readonly listeners = new Map<string, Accept<unknown>>();
  private nextStream = 1;

  constructor(private readonly world: World) {}

  delay(): number {
    const k = this.world.knobs;
    return k.delayMin + this.world.rnd() * (k.delayMax - k.delayMin);
  }

  chance(what: 'loss' | 'dup' | 'reorder' | 'streamReset'): boolean {
    const p = this.world.knobs[what];
    return p > 0 && this.world.rnd() < p;
  }

  /** Is the link from `a` to `b` cut (one way)? */
  blocked(a: number, b: number): boolean {
    return (this.cuts.get(key(a, b)) ?? 0) > 0;
  }

  /** Is a stream between `a` and `b` stalled (a cut either way stops TCP)? */
  cut(a: number, b: number): boolean {
    return this.blocked(a, b) || this.blocked(b, a);
  }

  block(a: number, b: number): void {
    const k = key(a, b);
    this.cuts.set(k, (this.cuts.get(k) ?? 0) + 1);
  }

  unblock(a: number, b: number): void {
    const k = key(a, b);
    const n = (this.cuts.get(k) ?? 0) - 1;
    if (n > 0) this.cuts.set(k, n);
    else this.cuts.delete(k);
    for (const s of this.streams) if ((s.a === a && s.b === b) || (s.a === b && s.b === a)) s.resume();
  }

  /** Datagrams from or to `node` are lost at `rate` until undone. */
  setFlaky(node: number, rate: number): void {
    if (rate > 0) this.flaky.set(node, rate);
    else this.flaky.delete(node);
  }

  /** A flaky node's links lose datagrams and SYNs at its rate. */
  private flakyLoss(a: number, b: number): boolean {
    const p = Math.max(this.flaky.get(a) ?? 0, this.flaky.get(b) ?? 0);
    return p > 0 && this.world.rnd() < p;
  }

  /**
   * An election notification, over the pair's connection as ElectionLinks keeps it: in order
   * on a live connection (a delay spike holds back what follows it on that link, while other
   * links overtake it); a loss breaks the connection (what was in flight is gone); the next
   * send on a broken pair dials again, and the new connection starts with each side's newest
   * message to the other (the outbox, or a repeat of the last one sent), which is also how
   * duplicates arrive. A cut link (either way: TCP needs both) breaks it too.
   */
  datagram(from: number, to: number, deliver: () => void): void {
    const l = this.electionLink(from, to);
    l.last.set(from, deliver);
    if (l.broken) return this.redial(l, from, to);
    if (this.cut(from, to) || this.chance('loss') || this.flakyLoss(from, to)) {
      this.world.cov.bump('electionLinkBroken');
      l.broken = true;
      l.generation++;
      return;
    }
    this.carry(l, from, deliver);
    if (this.chance('dup')) {
      this.world.cov.bump('electionDuplicate');
      this.carry(l, from, deliver);
    }
  }

  private electionLink(a: number, b: number): ElectionLink {
    const k = a < b ? key(a, b) : key(b, a);
    let l = this.election.get(k);
    if (!l) this.election.set(k, (l = { broken: false, redialing: false, generation: 0, last: new Map(), lastAt: new Map() }));
    return l;
  }

  /** Delivers on the live connection, after what `from` sent before on it. */
  private carry(l: ElectionLink, from: number, deliver: () => void): void {
    let d = this.delay();
    if (this.chance('reorder')) {
      this.world.cov.bump('electionDelaySpike');
      d += this.world.rnd() * 5 * this.world.knobs.delayMax;
    }
    const at = Math.max(this.world.now + d, l.lastAt.get(from) ?? 0);
    l.lastAt.set(from, at);
    const gen = l.generation;
    this.world.atTime(at, () => {
      if (l.generation === gen) deliver();
    });
  }

  /** The smaller id's dial is answered by a dial back; then each side sends its newest message. */
  private redial(l: ElectionLink, from: number, to: number): void {
    if (l.redialing || this.cut(from, to)) return;
    l.redialing = true;
    this.world.after(4 * this.delay(), () => {
      l.redialing = false;
      if (this.cut(from, to) || !l.broken) return;
      l.broken = false;
      l.generation++;
      this.world.cov.bump('electionRedial');
      for (const [sender, deliver] of l.last) this.carry(l, sender, deliver);
    });
  }

  listen<M>(node: number, port: Port, accept: Accept<M> | null): void {
    if (accept) this.listeners.set(`${node}:${port}`, accept as Accept<unknown>);
    else this.listeners.delete(`${node}:${port}`);
  }

  /**
   * Dials `to`'s port: a cut link loses the SYN (the dial times out after `timeout`), a port
   * nobody listens on refuses after a round trip. On success the listener's accept has
   * attached its end and `done` gets the stream.
   */
  dial<M>(from: number, to: number, port: Port, timeout: number, done: (s: Stream<M> | string) => void): void {
    if (this.cut(from, to) || this.flakyLoss(from, to)) {
      this.world.after(timeout, () => done('connect timed out'));
      return;
    }
    this.world.after(this.delay(), () => {
      const accept = this.listeners.get(`${to}:${port}`) as Accept<M> | undefined;
      const s = new Stream<M>(this.world, from, to, this.nextStream++);
      const end = accept?.(s) ?? null;
      if (!end) {
        this.world.after(this.delay(), () => done('connection refused'));
        return;
      }
      s.attach(to, end);
      this.streams.add(s as Stream<unknown>);
      this.world.after(this.delay(), () => (s.open ? done(s) : done('connection reset')));
    });
  }

  /** A stream closed: it no longer needs waking when links heal. */
  forget(s: Stream<unknown>): void {
    this.streams.delete(s);
  }

  /** Everything of `node`'s goes (it crashed): its connections break, its unsent messages are gone. */
  crash(node: number): void {
    for (const other of this.world.ids) {
      if (other === node) continue;
      const l = this.electionLink(node, other);
      l.broken = true;
      l.generation++;
      l.last.delete(node);
    }
    for (const s of [...this.streams]) if (s.a === node || s.b === node) s.crashed(node);
    this.listeners.delete(`${node}:quorum`);
    this.listeners.delete(`${node}:client`);
  }

  /** Flaky links also break streams, now and then. */
  flakyReset<M>(s: Stream<M>): boolean {
    const p = Math.max(this.flaky.get(s.a) ?? 0, this.flaky.get(s.b) ?? 0) / 10;
    return p > 0 && this.world.rnd() < p;
  }
}

const key = (a: number, b: number): number => a * 65536 + b;
