import { type ClientState, type CoordClient, KeeperError } from '@paddock/coord-client';

export interface WriteLoadOptions {
  /** Parent of the nodes written (created if missing). */
  readonly parent: string;
  /** Writers, each with one create in flight; default 4. */
  readonly writers?: number;
  /** Bound on the creates sent in all; default 100 000. */
  readonly maxWrites?: number;
  /** Data of each node; default none. */
  readonly data?: Buffer;
  /** A writer's pause after each create, in ms (a steady trickle rather than all it can); default none. */
  readonly paceMs?: number;
}

/**
 * Creates `parent/w-N` for N = 0, 1, 2... through one client, `writers` at a time, and keeps
 * the names whose create was acknowledged (failures are counted by code name, never retried:
 * an unacknowledged create may or may not have happened). Records the client's state events.
 */
export class WriteLoad {
  readonly acked = new Set<string>();
  readonly failures = new Map<string, number>();
  readonly states: ClientState[] = [];
  private next = 0;
  private stopped = false;
  private loops: Promise<void>[] = [];
  private readonly onState = (s: ClientState): void => {
    this.states.push(s);
  };

  constructor(private readonly client: CoordClient, private readonly o: WriteLoadOptions) {}

  async start(): Promise<void> {
    await this.client.create(this.o.parent).catch((e: unknown) => {
      if (!(e instanceof KeeperError && e.codeName === 'NodeExists')) throw e;
    });
    this.client.on('state', this.onState);
    this.loops = Array.from({ length: this.o.writers ?? 4 }, () => this.loop());
  }

  private async loop(): Promise<void> {
    const max = this.o.maxWrites ?? 100_000;
    while (!this.stopped && this.next < max) {
      const name = `w-${this.next++}`;
      try {
        await this.client.create(`${this.o.parent}/${name}`, this.o.data);
        this.acked.add(name);
      } catch (e) {
        const code = e instanceof KeeperError ? e.codeName : String(e);
        this.failures.set(code, (this.failures.get(code) ?? 0) + 1);
        // A closed or expired session fails every later call at once: stop rather than spin.
        if (this.client.state === 'expired' || this.client.state === 'closed') this.stopped = true;
      }
      if (this.o.paceMs) await new Promise((r) => setTimeout(r, this.o.paceMs));
    }
  }

  /** Creates sent so far whose reply (either way) came back. */
  get settled(): number {
    let failed = 0;
    for (const n of this.failures.values()) failed += n;
    return this.acked.size + failed;
  }

  /** Stops sending and waits for the creates in flight to settle. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
    this.client.off('state', this.onState);
  }
}
