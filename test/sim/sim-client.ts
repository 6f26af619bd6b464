import { Code } from '@paddock/coord-protocol';
import type { Scheduled } from './event-queue.js';
import type { HistoryOp } from './history.js';
import type { Stream } from './network.js';
import { type ClientOp, FLAGS, type ToClient, type ToServer } from './ops.js';
import type { World } from './world.js';

type Msg = ToServer | ToClient;

/** The op mix of a client: [weight, kind]. */
const MIX: readonly [number, string][] = [
  [25, 'get'], [20, 'set'], [12, 'create'], [10, 'createSeq'], [8, 'createEph'],
  [7, 'delete'], [9, 'sync'], [5, 'children'], [2, 'closeSession'],
];
const MIX_TOTAL = MIX.reduce((n, [w]) => n + w, 0);

/**
 * A client as ZooKeeper's behaves, one op at a time: connect to a server (sending its session
 * and the last zxid it saw, which a server behind it refuses), create a session or resume it,
 * issue ops with think time, ping when it has sent nothing for a third of its timeout, and give
 * up on a connection silent for two thirds of it: the op in flight stays open-ended in the
 * history (it may or may not have happened) and the client reconnects elsewhere. A probe client
 * issues one write and stops once it is acknowledged.
 */
export class SimClient {
  readonly node: number;
  sessionId: bigint | null = null;
  /** A probe's write was answered. */
  probed = false;
  /** No new ops (the heal phase): only what is in flight finishes. */
  quiet = false;
  private lastZxid = 0;
  private stream: Stream<Msg> | null = null;
  private server = 0;
  private ready = false;
  private dead = false;
  private cxid = 0;
  private ops = 0;
  private current: { rec: HistoryOp; cxid: number; op: ClientOp } | null = null;
  private lastSent = 0;
  /** Consecutive failed connects: the next waits longer (up to a third of the timeout). */
  private failures = 0;
  private lastHeard = 0;
  private timers: Scheduled[] = [];
  private readonly versions = new Map<string, number>();

  constructor(private readonly world: World, readonly index: number, private readonly probe = false) {
    this.node = 1000 + index;
  }

  start(delay: number): void {
    this.dead = false;
    this.later(delay, () => this.dial());
  }

  /** The client process dies: its socket closes, its op stays open-ended; it comes back after `downMs` with a new session. */
  crash(downMs: number): void {
    if (this.dead) return;
    this.world.cov.bump('clientCrashed');
    this.disconnect('client crashed', false);
    this.dead = true;
    this.sessionId = null;
    this.clearTimers();
    this.later(downMs, () => this.start(0));
  }

  private later(delay: number, run: () => void): void {
    this.timers.push(this.world.after(delay, run));
    if (this.timers.length > 8) this.timers = this.timers.filter((t) => !t.cancelled);
  }

  private clearTimers(): void {
    for (const t of this.timers) t.cancelled = true;
    this.timers = [];
  }

  private dial(): void {
    if (this.dead || this.stream) return;
    this.server = this.world.pick(this.world.ids);
    const timeout = this.world.knobs.sessionMs / 3;
    this.world.net.dial<Msg>(this.node, this.server, 'client', timeout, (res) => {
      if (this.dead || this.stream) {
        if (typeof res !== 'string') res.close(this.node, 'not wanted');
        return;
      }
      if (typeof res === 'string') {
        this.trace('dial failed', `s${this.server}: ${res}`);
        return this.reconnectLater();
      }
      this.stream = res;
      res.attach(this.node, { onMessage: (m) => this.onMessage(m as ToClient), onClose: (r) => this.disconnect(r, true) });
      this.lastHeard = this.world.now;
      this.send({ t: 'connect', sessionId: this.sessionId ?? 0n, lastZxid: this.lastZxid, timeout: this.world.knobs.sessionMs, client: this.probe ? -1 - this.index : this.index });
      this.watchdog();
    });
  }

  private send(m: ToServer): void {
    this.lastSent = this.world.now;
    this.stream?.send(this.node, m);
  }

  private onMessage(m: ToClient): void {
    this.lastHeard = this.world.now;
    switch (m.t) {
      case 'connected':
        this.trace('connected', `to s${this.server}, session 0x${m.sessionId.toString(16)}`);
        this.failures = 0;
        this.sessionId = m.sessionId;
        this.lastZxid = Math.max(this.lastZxid, m.zxid);
        this.ready = true;
        this.next();
        return;
      case 'expired':
        this.world.cov.bump('clientSawExpiry');
        this.sessionId = null;
        return;
      case 'reply': return this.replied(m);
      case 'pong': return;
    }
  }

  private replied(m: Extract<ToClient, { t: 'reply' }>): void {
    const c = this.current;
    if (!c || c.cxid !== m.cxid) return;
    this.current = null;
    this.trace('reply', `${c.op.op} err ${m.err} zxid 0x${m.zxid.toString(16)}`);
    // ZooKeeper's single system image: a client never sees an older view than it has seen.
    if (m.zxid < this.lastZxid) this.world.inv.fail(`client ${this.index} got a reply at 0x${m.zxid.toString(16)} from s${this.server} after seeing 0x${this.lastZxid.toString(16)}`);
    this.lastZxid = m.zxid;
    this.world.history.returned(c.rec, m.err, m.zxid, m.result, this.world.step, this.world.now);
    this.world.cov.bump(m.err === 0 ? 'opsOk' : 'opsFailed');
    if (m.err === 0 && m.result.version !== undefined && 'path' in c.op) this.versions.set(c.op.path, m.result.version);
    // Any answer to the probe's write (an error txn too) means a write went through a quorum.
    if (this.probe) this.probed = true;
    if (c.op.op === 'closeSession' && m.err === 0) this.sessionId = null;
    if (m.err === Code.SessionExpired) {
      // The leader closed the session (it expired while this client was away): start a new one.
      this.world.cov.bump('clientSawExpiry');
      this.sessionId = null;
      return this.disconnect('session expired', true);
    }
    this.next();
  }

  /** The connection is gone (closed, reset, or silent too long): reconnect somewhere. */
  private disconnect(reason: string, reconnect: boolean): void {
    if (!this.stream) return;
    const s = this.stream;
    this.stream = null;
    this.ready = false;
    this.trace('disconnected', `from s${this.server}: ${reason}`);
    s.close(this.node, reason);
    if (this.current) {
      this.world.history.lost(this.current.rec);
      this.world.cov.bump('opsLost');
      this.current = null;
    }
    if (reconnect && !this.dead) this.reconnectLater();
  }

  /** ZooKeeper's client waits a random while before the next server; ours doubles it per failure. */
  private reconnectLater(): void {
    const cap = this.world.knobs.sessionMs / 3;
    const wait = Math.min(cap, 10 * 2 ** this.failures++);
    this.later(wait * (0.5 + this.world.rnd()), () => this.dial());
  }

  /** Pings when idle a third of the timeout; gives up after two thirds without a word. */
  private watchdog(): void {
    const s = this.stream;
    const period = this.world.knobs.sessionMs / 3;
    this.later(period / 2, () => {
      if (this.stream !== s || !s) return;
      if (this.world.now - this.lastHeard > 2 * period) return this.disconnect('server silent', true);
      if (this.ready && this.world.now - this.lastSent >= period) this.send({ t: 'ping' });
      this.watchdog();
    });
  }

  private next(): void {
    if (!this.ready || this.current || this.quiet || this.dead || (this.probe && this.probed)) return;
    this.later(this.world.rnd() * this.world.knobs.thinkMs, () => this.issue());
  }

  private issue(): void {
    if (!this.ready || this.current || this.quiet || this.dead || !this.stream) return;
    const op = this.probe ? { op: 'create' as const, path: `/probe${this.index}`, data: 'probe', flags: FLAGS.persistent } : this.pickOp();
    const cxid = ++this.cxid;
    const rec = this.world.history.call(this.probe ? this.world.knobs.clients : this.index, this.sessionId, op, this.server, this.world.step, this.world.now);
    this.current = { rec, cxid, op };
    this.trace('call', `${op.op}${'path' in op ? ` ${op.path}` : ''} to s${this.server}`);
    this.send({ t: 'op', cxid, op });
  }

  private trace(what: string, detail: string): void {
    this.world.trace.add(this.world.step, this.world.now, this.node, what, detail);
  }

  private pickOp(): ClientOp {
    const k = this.world.knobs;
    const key = `/k${Math.floor(this.world.rnd() * k.keys)}`;
    const data = `c${this.index}-${++this.ops}`;
    let r = this.world.rnd() * MIX_TOTAL;
    let kind = MIX[0]![1];
    for (const [w, name] of MIX) {
      if ((r -= w) < 0) {
        kind = name;
        break;
      }
    }
    switch (kind) {
      case 'set': return { op: 'set', path: key, data, version: this.world.rnd() < 0.3 ? (this.versions.get(key) ?? 0) : -1 };
      case 'create': return { op: 'create', path: this.world.rnd() < 0.2 ? '/q' : key, data, flags: FLAGS.persistent };
      case 'createSeq': return { op: 'create', path: '/q/s-', data, flags: FLAGS.sequential };
      case 'createEph': return { op: 'create', path: `/e${this.index}-${this.ops}`, data, flags: FLAGS.ephemeral };
      case 'delete': return { op: 'delete', path: key, version: -1 };
      case 'sync': return { op: 'sync', path: '/' };
      case 'children': return { op: 'children', path: '/q' };
      case 'closeSession': return { op: 'closeSession' };
      default: return { op: 'get', path: key };
    }
  }
}
