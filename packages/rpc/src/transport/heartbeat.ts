import type { Clock, TimerHandle } from '@paddock/edges';

/** What the heartbeat needs from a connection (a transport's own: tcp's TcpConnection is one). */
export interface Beating {
  /** Called once per interval; the connection pings or gives up (see TcpConnection.heartbeatTick). */
  heartbeatTick(misses: number): void;
}

/**
 * One coarse timer for all connections of a server or a client, not one per connection: each
 * tick asks every connection whether it read anything since the last one. The timer runs
 * only while there are connections.
 */
export class Heartbeat {
  private readonly members = new Set<Beating>();
  private timer: TimerHandle | null = null;

  constructor(private readonly clock: Clock, readonly intervalMs: number, readonly misses: number) {}

  add(c: Beating): void {
    this.members.add(c);
    if (this.timer === null) this.schedule();
  }

  delete(c: Beating): void {
    this.members.delete(c);
    if (this.members.size === 0 && this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(tick, this.intervalMs, this);
  }

  /** @internal */
  tick(): void {
    this.timer = null;
    // A connection that gives up deletes itself; Set iteration tolerates that.
    for (const c of this.members) c.heartbeatTick(this.misses);
    if (this.members.size > 0 && this.timer === null) this.schedule();
  }
}

function tick(h: Heartbeat): void {
  h.tick();
}
