import type { Recorder } from './recorder.js';
import { type ZkSession, openSession } from './zk-session.js';

/** Bound on the writes one probe sends. */
const MAX_PROBES = 400;

/**
 * Writes fired at one server on a timer, without waiting for each other, each its own logical
 * client in the history (so an op without reply ends nothing else): what a leader cut off
 * from its followers is offered, to show it acknowledges none of it. Each creates a znode of
 * its own, so the checker sees each alone (many open writes on one register would make it
 * try every subset of them).
 */
export class WriteProbe {
  private timer: NodeJS.Timeout | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private sent = 0;

  private constructor(private readonly session: ZkSession, private readonly rec: Recorder, private readonly via: number, private readonly prefix: string) {}

  /** A session pinned to server `via` (opened now, while it still serves), creating `prefix`0, `prefix`1, ... */
  static async open(connectString: string, rec: Recorder, via: number, prefix: string, sessionTimeout: number): Promise<WriteProbe> {
    return new WriteProbe(await openSession('coord', connectString, sessionTimeout), rec, via, prefix);
  }

  /** Fires a create every `everyMs` until halt() or stop(). */
  start(everyMs: number): void {
    this.timer = setInterval(() => this.fire(), everyMs);
  }

  private fire(): void {
    if (this.sent >= MAX_PROBES) return;
    const name = `probe${this.via}.${this.sent}`;
    const input = { op: 'create', path: `${this.prefix}${this.sent++}`, data: name } as const;
    const e = this.rec.call(name, input, this.via);
    // Bounded by the session's per-op bound; a failure leaves the op open (unknown outcome).
    const p = this.session.run(input).then((out) => this.rec.ret(e, out), () => undefined);
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  /** Stops firing; returns how many were sent. */
  halt(): number {
    clearInterval(this.timer);
    return this.sent;
  }

  /** Stops firing, waits for the writes in flight (each bounded) and closes the session. */
  async stop(): Promise<number> {
    this.halt();
    await Promise.all(this.inflight);
    await this.session.close();
    return this.sent;
  }
}
