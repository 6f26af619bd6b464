import { type Server, type Socket, connect, createServer } from 'node:net';
import { FrameDecoder } from '@paddock/coord-protocol';
import type { Logger } from '@paddock/edges';
import type { Notification } from '../election/vote.js';
import { MAX_ELECTION_FRAME, decodeNotification, encodeHandshake, encodeNotification, parseHandshake } from '../wire/election-wire.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface ElectionLinksOptions {
  readonly myId: number;
  /** Where this server listens, and the address it gives in its handshake. */
  readonly listen: HostPort;
  /** Election addresses of the other servers, by id. */
  readonly peers: ReadonlyMap<number, HostPort>;
  /** ZooKeeper's cnxTimeout: the bound on a dial and on a handshake. */
  readonly connectTimeout: number;
  readonly logger: Logger;
  readonly onNotification: (from: number, n: Notification) => void;
}

interface Link {
  readonly socket: Socket;
  readonly peer: number;
}

/**
 * The election port's connections, kept as ZooKeeper's QuorumCnxManager keeps them: one
 * connection per pair of servers, always the one dialled by the server with the larger id.
 * A smaller id that wants to talk sends its handshake and hangs up; the larger id dials back
 * (to the address in that handshake, so a proxy in between stays in the path).
 *
 * Each peer has a one-message outbox: the newest notification replaces an unsent older one,
 * and a new connection starts with it (or repeats the last one sent), as ZooKeeper does.
 */
export class ElectionLinks {
  private server: Server | null = null;
  private readonly links = new Map<number, Link>();
  private readonly dialing = new Set<number>();
  private readonly outbox = new Map<number, Buffer>();
  private readonly lastSent = new Map<number, Buffer>();
  private readonly pending = new Set<Socket>();
  private closed = false;

  constructor(private readonly opts: ElectionLinksOptions) {}

  /** Opens the election port; rejects with the listen error (port busy, address not local). */
  async start(host = this.opts.listen.host): Promise<void> {
    const server = createServer((s) => this.accept(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.listen.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  /** Queues a notification for `to` and dials it if there is no connection. */
  send(to: number, n: Notification): void {
    if (this.closed) return;
    const frame = encodeNotification(n);
    const link = this.links.get(to);
    if (link) return this.write(link, frame);
    this.outbox.set(to, frame);
    this.dial(to);
  }

  /** Ids with a live connection (tests and the admin view). */
  connected(): number[] {
    return [...this.links.keys()];
  }

  close(): void {
    this.closed = true;
    this.server?.close();
    for (const l of this.links.values()) l.socket.destroy();
    for (const s of this.pending) s.destroy();
    this.links.clear();
    this.pending.clear();
  }

  private write(link: Link, frame: Buffer): void {
    this.lastSent.set(link.peer, frame);
    link.socket.write(frame);
  }

  private dial(to: number, address = this.opts.peers.get(to)): void {
    if (!address || this.dialing.has(to) || this.links.has(to) || this.closed) return;
    this.dialing.add(to);
    const socket = connect({ host: address.host, port: address.port });
    this.pending.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.opts.connectTimeout, () => socket.destroy());
    const done = (): void => {
      this.dialing.delete(to);
      this.pending.delete(socket);
    };
    socket.once('error', (e) => this.opts.logger.debug({ peer: to, err: e.message }, 'election dial failed'));
    socket.once('close', done);
    socket.once('connect', () => {
      done();
      socket.setTimeout(0);
      socket.write(encodeHandshake({ serverId: this.opts.myId, addresses: [`${this.opts.listen.host}:${this.opts.listen.port}`] }));
      // The larger id keeps the connection; to a larger one we only announce ourselves.
      if (to > this.opts.myId) socket.end();
      else this.adopt(socket, to, Buffer.alloc(0));
    });
  }

  private accept(socket: Socket): void {
    if (this.closed) return void socket.destroy();
    this.pending.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.opts.connectTimeout, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      let parsed;
      try {
        parsed = parseHandshake(buf);
      } catch (e) {
        this.opts.logger.warn({ err: (e as Error).message }, 'bad election handshake');
        return void socket.destroy();
      }
      if (!parsed) return;
      socket.off('data', onData);
      this.pending.delete(socket);
      socket.setTimeout(0);
      this.handshaken(socket, parsed.handshake.serverId, parsed.handshake.addresses, buf.subarray(parsed.used));
    };
    socket.on('data', onData);
    socket.once('close', () => this.pending.delete(socket));
  }

  private handshaken(socket: Socket, peer: number, addresses: readonly string[], rest: Buffer): void {
    if (peer === this.opts.myId) {
      this.opts.logger.warn({ peer }, 'election connection from a server with our own id: check myid');
      return void socket.destroy();
    }
    if (peer < this.opts.myId) {
      // We have the larger id: drop theirs and dial back, to the address they gave.
      socket.destroy();
      return this.dial(peer, parseAddress(addresses[0]) ?? this.opts.peers.get(peer));
    }
    this.adopt(socket, peer, rest);
  }

  private adopt(socket: Socket, peer: number, rest: Buffer): void {
    this.links.get(peer)?.socket.destroy();
    const link: Link = { socket, peer };
    this.links.set(peer, link);
    const frames = new FrameDecoder(MAX_ELECTION_FRAME, (b, start, end) => this.frame(link, b.subarray(start, end)));
    socket.on('data', (chunk: Buffer) => {
      try {
        frames.push(chunk);
      } catch (e) {
        this.opts.logger.warn({ peer, err: (e as Error).message }, 'bad election frame');
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.once('close', () => {
      if (this.links.get(peer) === link) this.links.delete(peer);
    });
    const first = this.outbox.get(peer) ?? this.lastSent.get(peer);
    this.outbox.delete(peer);
    if (first) this.write(link, first);
    if (rest.length > 0) socket.emit('data', rest);
  }

  private frame(link: Link, payload: Buffer): boolean {
    if (this.links.get(link.peer) !== link) return false;
    const n = decodeNotification(payload);
    if (n) this.opts.onNotification(link.peer, n);
    return true;
  }
}

function parseAddress(text: string | undefined): HostPort | undefined {
  const m = text?.match(/^\[?(.+?)\]?:(\d+)$/);
  return m ? { host: m[1]!, port: Number(m[2]) } : undefined;
}
