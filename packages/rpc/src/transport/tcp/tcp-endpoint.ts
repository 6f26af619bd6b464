import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { Clock, Logger, TimerHandle } from '@paddock/edges';
import type { Invocation } from '../../call/invocation.js';
import { RpcError } from '../../call/rpc-error.js';
import type { CallTarget, ClientEndpoint, EndpointEvents, EndpointState, HostPort } from '../transport.js';
import type { Heartbeat } from '../heartbeat.js';
import { reconnectDelay } from '../reconnect-delay.js';
import { TcpClientConnection } from './tcp-client-connection.js';
import type { ResolvedTcpOptions } from './tcp-options.js';

export interface TcpEndpointConfig {
  readonly tcp: ResolvedTcpOptions;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly heartbeat: Heartbeat;
  /** Random source in [0, 1) for reconnect jitter. */
  readonly random: () => number;
}

/**
 * A consumer's connection to one provider address, kept up: it connects at once, connects
 * again with backoff after a failure or a close, and is available only while its connection
 * is open and not draining. A dead connection (heartbeats) makes it unavailable at once.
 */
export class TcpEndpoint extends EventEmitter<EndpointEvents> implements ClientEndpoint {
  private current: EndpointState = 'connecting';
  private connection: TcpClientConnection | null = null;
  private attempt: Socket | null = null;
  private timer: TimerHandle = null;
  private failures = 0;
  private readonly firstAttempt: Promise<void>;
  private settleFirst: (() => void) | null = null;

  /** `address` names the provider at `at` in errors and logs (host:port). */
  constructor(readonly address: string, private readonly at: HostPort, private readonly config: TcpEndpointConfig) {
    super();
    this.firstAttempt = new Promise((resolve) => {
      this.settleFirst = resolve;
    });
    this.connect();
  }

  get state(): EndpointState {
    return this.current;
  }

  get available(): boolean {
    return this.current === 'open' && (this.connection as TcpClientConnection).accepting;
  }

  /** The open connection, if any (for stats and tests). */
  get connectionNow(): TcpClientConnection | null {
    return this.connection;
  }

  ready(): Promise<void> {
    return this.firstAttempt;
  }

  call(inv: Invocation, target: CallTarget): Promise<unknown> {
    const conn = this.connection;
    if (conn === null) {
      return Promise.reject(new RpcError('NETWORK', `not connected to ${this.address} (${this.current}); ${inv.service}.${inv.method} was not sent`, { provider: this.address, notSent: true }));
    }
    return conn.call(inv, target);
  }

  close(): void {
    if (this.current === 'closed') return;
    this.setState('closed');
    this.config.clock.clearTimeout(this.timer);
    this.attempt?.destroy();
    this.attempt = null;
    this.connection?.destroy(new RpcError('NETWORK', `the consumer closed its connection to ${this.address}`));
    this.settleFirst?.();
  }

  /** @internal */
  connect(): void {
    if (this.current === 'closed') return;
    this.setState('connecting');
    const socket = connect({ host: this.at.host, port: this.at.port, noDelay: true });
    this.attempt = socket;
    this.timer = this.config.clock.setTimeout(connectTimedOut, this.config.tcp.connectTimeoutMs, this);
    socket.once('connect', () => this.onConnect(socket));
    socket.once('error', (err) => this.onConnectFailed(socket, err.message));
  }

  /** @internal */
  onConnectTimeout(): void {
    const socket = this.attempt;
    if (socket) this.onConnectFailed(socket, `no connection within ${this.config.tcp.connectTimeoutMs} ms`);
  }

  private onConnect(socket: Socket): void {
    if (this.attempt !== socket) return;
    this.attempt = null;
    this.config.clock.clearTimeout(this.timer);
    const { tcp, heartbeat, logger, clock } = this.config;
    const conn = new TcpClientConnection(socket, tcp, heartbeat, logger, clock, this.address, () => this.setState('draining'));
    this.connection = conn;
    this.failures = 0;
    conn.once('close', (reason) => this.onClosed(conn, reason));
    this.setState('open');
    this.settleFirst?.();
  }

  private onConnectFailed(socket: Socket, why: string): void {
    if (this.attempt !== socket) return;
    this.attempt = null;
    socket.destroy();
    this.config.clock.clearTimeout(this.timer);
    this.config.logger.debug({ provider: this.address, why }, 'rpc: connect failed');
    this.backoff();
    this.settleFirst?.();
  }

  private onClosed(conn: TcpClientConnection, reason: RpcError): void {
    if (this.connection !== conn) return;
    this.connection = null;
    if (this.current === 'closed') return;
    this.config.logger.info({ provider: this.address, code: reason.code }, `rpc: connection closed: ${reason.message}`);
    this.backoff();
  }

  private backoff(): void {
    const delay = reconnectDelay(this.config.tcp, this.failures++, this.config.random);
    this.setState('backoff');
    this.timer = this.config.clock.setTimeout(reconnect, delay, this);
  }

  private setState(state: EndpointState): void {
    if (this.current === state) return;
    this.current = state;
    this.emit('state', state);
  }
}

function connectTimedOut(e: TcpEndpoint): void {
  e.onConnectTimeout();
}

function reconnect(e: TcpEndpoint): void {
  e.connect();
}
