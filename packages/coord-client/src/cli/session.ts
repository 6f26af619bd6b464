import {
  CoordClient, EventType, KeeperState, type ClientState, type KeeperStateValue, type Watcher,
} from '../index.js';
import { CliError } from './cli-error.js';
import { formatEvent } from './format.js';
import { CommandHistory } from './history.js';
import type { CliIo } from './io.js';

export interface SessionOptions {
  /** The connect string, `host:port[,host:port...][/chroot]`. */
  readonly server: string;
  /** Requested session timeout in ms (zkCli's -timeout). */
  readonly timeoutMs: number;
  /** Accept a read-only server (zkCli's -r). */
  readonly readOnly: boolean;
  /**
   * Connect only when a command first needs the server (one-shot mode): a command whose
   * arguments are wrong fails without a server, as zkCli's usually does before it connects.
   */
  readonly onDemand?: boolean;
}

/** Per client state: the KeeperState its None event carries, and the state zkCli's prompt shows. */
const STATES: Readonly<Record<ClientState, { readonly event: KeeperStateValue; readonly prompt: string }>> = {
  connected: { event: KeeperState.SyncConnected, prompt: 'CONNECTED' },
  connectedReadOnly: { event: KeeperState.ConnectedReadOnly, prompt: 'CONNECTEDREADONLY' },
  disconnected: { event: KeeperState.Disconnected, prompt: 'CONNECTING' },
  expired: { event: KeeperState.Expired, prompt: 'CLOSED' },
  closed: { event: KeeperState.Closed, prompt: 'CLOSED' },
  authFailed: { event: KeeperState.AuthFailed, prompt: 'AUTH_FAILED' },
};
const DEAD: ReadonlySet<ClientState> = new Set(['expired', 'closed', 'authFailed']);

/**
 * The shell's one ZooKeeper session (zkCli's `zk` and its default watcher): every watch the
 * commands set and every state change prints a WATCHER:: block, unless `printwatches off`.
 */
export class CliSession {
  private current: CoordClient | null = null;
  private detach: (() => void) | null = null;
  /** The connect string of the current (or last) session; `connect` without an argument reuses it. */
  host: string;
  printWatches = true;
  /** Set by `quit`: the shell stops reading. */
  quitRequested = false;
  /** The shell's numbered lines, for `history` and `redo`. */
  readonly history = new CommandHistory();

  /** The watcher every `-w` passes; state events are printed from the client's state changes instead. */
  readonly watcher: Watcher = (e) => {
    if (e.type !== EventType.None) this.printEvent(e.state, e.type, e.path);
  };

  constructor(private readonly io: CliIo, private readonly opts: SessionOptions) {
    this.host = opts.server;
  }

  /** The client when its session can still serve requests (zkCli's `zk.getState().isAlive()`). */
  get client(): CoordClient | null {
    return this.current && !DEAD.has(this.current.state) ? this.current : null;
  }

  /** The live client, connecting first in on-demand mode; "Not connected" when there is none. */
  async use(): Promise<CoordClient> {
    if (this.opts.onDemand && !this.current) await this.connect();
    const client = this.client;
    if (!client) throw new CliError('Not connected');
    return client;
  }

  /** Whether the session opens when a command first needs it (one-shot mode). */
  get onDemand(): boolean {
    return this.opts.onDemand === true;
  }

  /** The state word of zkCli's prompt. */
  get promptState(): string {
    return this.current ? STATES[this.current.state].prompt : 'NOT_CONNECTED';
  }

  /** Ends the current session if any, then opens one with `host` and waits until it is up. */
  async connect(host = this.host): Promise<void> {
    await this.close();
    this.host = host;
    let client: CoordClient;
    try {
      client = await CoordClient.connect(host, { sessionTimeout: this.opts.timeoutMs, canBeReadOnly: this.opts.readOnly });
    } catch (err) {
      throw new CliError(`Unable to connect to ${host}: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.current = client;
    // The first state change happened inside connect(), before anyone could listen.
    this.printEvent(STATES[client.state].event, EventType.None, null);
    const onState = (s: ClientState): void => this.printEvent(STATES[s].event, EventType.None, null);
    client.on('state', onState);
    this.detach = () => client.off('state', onState);
  }

  /** Ends the session; `quiet` leaves out the Closed event, as zkCli exits without one. */
  async close(quiet = false): Promise<void> {
    const client = this.current;
    if (!client) return;
    if (quiet) this.stopListening();
    await client.close();
    this.stopListening();
  }

  private stopListening(): void {
    this.detach?.();
    this.detach = null;
  }

  private printEvent(state: number, type: number, path: string | null): void {
    if (this.printWatches) this.io.out(formatEvent(state, type, path));
  }
}
