import { createServer, type Server, type Socket } from 'node:net';
import type { Clock, Logger } from '@paddock/edges';
import { RpcError } from '../../call/rpc-error.js';
import { ByteBudget } from '../byte-budget.js';
import { limitConnections } from '../connection-limit.js';
import type { CallHandler, ServerTransport } from '../transport.js';
import { Heartbeat } from '../heartbeat.js';
import { TcpServerConnection } from './tcp-server-connection.js';
import type { ResolvedTcpOptions } from './tcp-options.js';

export interface TcpServerConfig {
  readonly host: string;
  readonly port: number;
  readonly tcp: ResolvedTcpOptions;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly exposeStack: boolean;
}

/** The tcp listener of a provider and its connections. */
export class TcpServerTransport implements ServerTransport {
  private readonly server: Server;
  private readonly connections = new Set<TcpServerConnection>();
  private readonly heartbeat: Heartbeat;
  /** Bytes of incomplete frames over all connections (maxBufferedBytes). */
  private readonly budget: ByteBudget;
  private handler: CallHandler | null = null;
  private boundPort = 0;
  private draining = false;
  private drained: (() => void) | null = null;

  constructor(private readonly config: TcpServerConfig) {
    this.heartbeat = new Heartbeat(config.clock, config.tcp.heartbeatMs, config.tcp.heartbeatMisses);
    this.budget = new ByteBudget(config.tcp.maxBufferedBytes);
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    limitConnections(this.server, config.tcp.maxConnections, config.clock, config.logger);
  }

  get port(): number {
    return this.boundPort;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Connections not read until the answers waiting for their consumer drain. */
  get heldBackCount(): number {
    let n = 0;
    for (const c of this.connections) if (c.heldBack) n++;
    return n;
  }

  /** Bytes held in incomplete frames over all connections (bounded by maxBufferedBytes). */
  get bufferedBytes(): number {
    return this.budget.used;
  }

  listen(handler: CallHandler): Promise<void> {
    this.handler = handler;
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.port, this.config.host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        this.boundPort = typeof address === 'object' && address !== null ? address.port : this.config.port;
        resolve();
      });
    });
  }

  drain(): Promise<void> {
    this.draining = true;
    this.server.close();
    const done = new Promise<void>((resolve) => {
      this.drained = resolve;
    });
    for (const c of this.connections) c.drain();
    this.checkDrained();
    return done;
  }

  async close(): Promise<void> {
    this.draining = true;
    const reason = new RpcError('SHUTTING_DOWN', 'the provider closed');
    for (const c of this.connections) c.destroy(reason);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    if (this.draining || this.handler === null) {
      socket.destroy();
      return;
    }
    const { tcp, logger, exposeStack } = this.config;
    const conn = new TcpServerConnection(socket, tcp, this.heartbeat, logger, this.handler, exposeStack, this.budget);
    this.connections.add(conn);
    conn.once('close', () => {
      this.connections.delete(conn);
      this.checkDrained();
    });
  }

  private checkDrained(): void {
    if (this.draining && this.connections.size === 0 && this.drained) {
      const resolve = this.drained;
      this.drained = null;
      resolve();
    }
  }
}
