import { EventEmitter } from 'node:events';
import type { ClientState, CoordClient, CoordClientOptions } from '@paddock/coord-client';
import { Backoff, type TimerHandle } from '@paddock/edges';
import { RegistryError } from './errors.js';
import type { ResolvedOptions } from './options.js';

/**
 * The registry's view of its session:
 * - `connecting`: no session yet (first connect, or a new one after expiry, under backoff);
 * - `connected`: a session and a connection;
 * - `disconnected`: a session, no connection right now (the client is reconnecting);
 * - `expired`: the session is gone; a new one is being made (providers re-register then);
 * - `closed`: `close()` was called, or reconnect.maxAttempts ran out.
 */
export type RegistryState = 'connecting' | 'connected' | 'disconnected' | 'expired' | 'closed';

export type Connect = (connectString: string, opts: CoordClientOptions) => Promise<CoordClient>;

export interface SessionEvents {
  /** A new session is up: the first one, or one replacing an expired one. Watches and ephemerals start over. */
  session: [client: CoordClient, generation: number];
  state: [state: RegistryState];
}

/**
 * Owns the coordination client and replaces it when its session ends: ZooKeeper's client never
 * makes a new session by itself (an expired handle stays expired), so after `expired` this
 * connects anew, with jittered exponential backoff between failed attempts.
 */
export class SessionKeeper extends EventEmitter<SessionEvents> {
  client: CoordClient | null = null;
  /** Counts sessions; work tagged with an older generation belongs to a dead session. */
  generation = 0;
  state: RegistryState = 'connecting';
  /** Negotiated timeout of the latest session; what an ephemeral of it may outlive it by. */
  lastSessionTimeout: number;
  private readonly backoff: Backoff;
  private timer: TimerHandle | null = null;
  private stopped = false;

  constructor(
    private readonly connectString: string,
    private readonly opts: ResolvedOptions,
    private readonly connect: Connect,
  ) {
    super();
    this.lastSessionTimeout = opts.sessionTimeout;
    this.backoff = new Backoff(opts.backoff, opts.random);
  }

  /**
   * Gets the first session. Without `keepTrying` a failure rejects with CONNECT_FAILED; with it
   * the keeper resolves at once and goes on trying in the background.
   */
  async start(keepTrying: boolean): Promise<void> {
    try {
      await this.open();
    } catch (err) {
      if (!keepTrying) {
        this.stopped = true;
        this.setState('closed');
        throw new RegistryError('CONNECT_FAILED',
          `no session with ${this.connectString}: ${err instanceof Error ? err.message : String(err)}`, this.connectString, { cause: err });
      }
      this.opts.logger.warn({ err: String(err) }, 'registry: coordination service unreachable at start; retrying in the background');
      this.retryLater();
    }
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    this.setState('closed');
    await client?.close();
  }

  private clientOptions(): CoordClientOptions {
    return {
      ...this.opts.client,
      sessionTimeout: this.opts.sessionTimeout,
      connectTimeout: this.opts.connectTimeout,
      logger: this.opts.logger,
      clock: this.opts.clock,
      random: this.opts.random,
    };
  }

  private async open(): Promise<void> {
    const client = await this.connect(this.connectString, this.clientOptions());
    if (this.stopped) {
      await client.close();
      return;
    }
    this.client = client;
    this.generation++;
    this.lastSessionTimeout = client.sessionTimeout;
    this.backoff.reset();
    client.on('state', (s) => this.onClientState(client, s));
    this.opts.logger.info({ sessionId: hex(client.sessionId), generation: this.generation }, 'registry: session established');
    // State first: listeners of 'session' find the keeper connected and can use the client at once.
    this.setState('connected');
    this.emit('session', client, this.generation);
  }

  private onClientState(client: CoordClient, s: ClientState): void {
    if (client !== this.client || this.stopped) return;
    if (s === 'connected' || s === 'connectedReadOnly') {
      this.setState('connected');
    } else if (s === 'disconnected') {
      this.setState('disconnected');
    } else {
      // expired, closed (gave up) or authFailed: this handle is done for good; make a new session.
      this.opts.logger.warn({ sessionId: hex(client.sessionId), state: s }, 'registry: session lost; making a new one');
      this.client = null;
      void client.close();
      this.setState('expired');
      this.retryLater();
    }
  }

  private retryLater(): void {
    if (this.stopped) return;
    if (this.backoff.attempts >= this.opts.maxAttempts) {
      this.opts.logger.error({ attempts: this.backoff.attempts }, 'registry: giving up on a new session (reconnect.maxAttempts)');
      this.stopped = true;
      this.setState('closed');
      return;
    }
    const delay = this.backoff.next();
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      this.open().catch((err: unknown) => {
        this.opts.logger.debug({ err: String(err), attempt: this.backoff.attempts }, 'registry: new session attempt failed');
        this.retryLater();
      });
    }, delay);
  }

  private setState(next: RegistryState): void {
    if (this.state === next) return;
    this.state = next;
    this.emit('state', next);
  }
}

/** Session ids as ZooKeeper logs them: unsigned hex. */
export function hex(id: bigint): string {
  return `0x${BigInt.asUintN(64, id).toString(16)}`;
}
