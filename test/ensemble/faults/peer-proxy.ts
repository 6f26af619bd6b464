import { type Server, type Socket, connect, createServer } from 'node:net';
import { encodeHandshake, parseHandshake } from '../../../packages/coord-server/src/quorum/wire/election-wire.js';

/**
 * What becomes of the bytes one server sends another (one direction of a peer link):
 * - `pass`: forwarded;
 * - `drop`: a blackhole. Nothing gets through, a close neither, and the connections stay
 *   open. TCP loses no bytes (it resends them once the path is back), so what was held goes
 *   through in order when the link passes again, unless more than MAX_HELD piled up, when the
 *   connection is reset as TCP would give up;
 * - `cut`: every connection between the two is closed and new ones are refused. A TCP
 *   connection cannot be closed one way only, so a cut either way cuts both; a one-way
 *   partition is a drop.
 */
export type LinkState = 'pass' | 'drop' | 'cut';

/** Bound on the bytes one direction of one connection holds while dropped. */
const MAX_HELD = 16 * 1024 * 1024;
/**
 * Waits between dials of a server that refuses, before the dialer is hung up on. The dialer
 * has been accepted by then (its connect reached the proxy), so a refusal cannot reach it as
 * one: without these, a learner that dials a new leader a moment before it listens (the
 * leader opens its port a little after the election) would see its connection closed and end
 * its term, where without a proxy its own dial retries would have got through.
 */
const UPSTREAM_WAITS_MS = [5, 10, 20, 40, 80, 100, 100, 100, 100, 100];

/** One direction of one proxied connection: from the socket it reads to `to`. */
class Gate {
  private held: Buffer[] = [];
  private heldBytes = 0;
  private sourceClosed = false;

  constructor(private readonly to: Socket, private readonly state: () => LinkState, private readonly reset: () => void) {}

  data(chunk: Buffer): void {
    if (!this.to.writable) return;
    if (this.state() === 'pass' && this.held.length === 0) {
      this.to.write(chunk);
      return;
    }
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes > MAX_HELD) this.reset();
  }

  /** The source closed: the close goes the way its bytes go, after them. */
  close(): void {
    this.sourceClosed = true;
    this.release();
  }

  /** Delivers what was held, once the link passes. */
  release(): void {
    if (this.state() !== 'pass') return;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    if (this.to.writable) for (const chunk of held) this.to.write(chunk);
    if (this.sourceClosed && !this.to.destroyed) this.to.end(() => this.to.destroy());
  }
}

/**
 * The election handshake opens with the dialer's own election address, and a server with a
 * larger id hangs up and dials back to that address. Rewritten to the proxy that carries the
 * other way, the dial-back goes through the proxies too instead of around them.
 */
function handshakeRewriter(dialBack: string, out: (chunk: Buffer) => void, bad: () => void): (chunk: Buffer) => void {
  let buf: Buffer | null = Buffer.alloc(0);
  return (chunk) => {
    if (buf === null) return out(chunk);
    buf = Buffer.concat([buf, chunk]);
    let parsed;
    try {
      parsed = parseHandshake(buf);
    } catch {
      return bad();
    }
    if (!parsed) return;
    const { handshake, used } = parsed;
    const rest = buf.subarray(used);
    // A server before 3.5 sends only its id (no address): nothing to rewrite.
    out(handshake.addresses.length === 0 ? buf.subarray(0, used) : encodeHandshake({ serverId: handshake.serverId, addresses: [dialBack] }));
    buf = null;
    if (rest.length > 0) out(rest);
  };
}

/** One proxied connection: the dialer's socket and ours to the server it dialled. */
class Connection {
  readonly outbound: Gate;
  readonly inbound: Gate;

  constructor(readonly dialer: Socket, readonly upstream: Socket, route: PeerRoute, onGone: () => void) {
    const reset = (): void => this.cut();
    this.outbound = new Gate(upstream, () => route.state(route.from, route.to), reset);
    this.inbound = new Gate(dialer, () => route.state(route.to, route.from), reset);
    const forward = (chunk: Buffer): void => this.outbound.data(chunk);
    dialer.on('data', route.dialBack === undefined ? forward : handshakeRewriter(route.dialBack, forward, reset));
    upstream.on('data', (chunk: Buffer) => this.inbound.data(chunk));
    let open = 2;
    const gone = (gate: Gate) => (): void => {
      gate.close();
      if (--open === 0) onGone();
    };
    dialer.once('close', gone(this.outbound));
    upstream.once('close', gone(this.inbound));
    // A reset or refused dial closes the socket after its error; the close does the rest.
    dialer.on('error', () => dialer.destroy());
    upstream.on('error', () => upstream.destroy());
  }

  cut(): void {
    this.dialer.destroy();
    this.upstream.destroy();
  }
}

/** A connection to the server on `port`, dialled again while it refuses (UPSTREAM_WAITS_MS); null when it never answers or `stop()` says to give up. */
async function dialUpstream(port: number, stop: () => boolean): Promise<Socket | null> {
  for (let i = 0; ; i++) {
    const socket = await new Promise<Socket | null>((resolve) => {
      const s = connect({ host: '127.0.0.1', port, noDelay: true });
      s.once('connect', () => resolve(s));
      s.once('error', () => {
        s.destroy();
        resolve(null);
      });
    });
    if (socket || i >= UPSTREAM_WAITS_MS.length || stop()) return socket;
    await new Promise((r) => setTimeout(r, UPSTREAM_WAITS_MS[i]));
  }
}

/** Where one proxy forwards, and how it asks for the link's state. */
export interface PeerRoute {
  /** The server whose zoo.cfg lists this proxy: only it dials here. */
  readonly from: number;
  readonly to: number;
  /** The server's real port, known once its seat has ports. */
  target(): number | undefined;
  state(from: number, to: number): LinkState;
  /** On an election port: the address `to` must dial back `from` at (the proxy for to → from). */
  readonly dialBack?: string;
}

/**
 * A loopback TCP proxy for the connections one server dials to another on one port (quorum
 * or election). It closes both sides at once when either end goes (a killed server is seen
 * as fast as without it), unless the link drops bytes that way, when the close waits with them.
 */
export class PeerProxy {
  private readonly connections = new Set<Connection>();

  private constructor(private readonly server: Server, readonly port: number, private readonly route: PeerRoute) {
    server.on('connection', (s) => this.accept(s));
  }

  static async open(route: PeerRoute, port: number): Promise<PeerProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new PeerProxy(server, port, route);
  }

  private accept(dialer: Socket): void {
    const target = this.route.target();
    if (target === undefined || this.isCut()) {
      dialer.on('error', () => undefined);
      dialer.resetAndDestroy();
      return;
    }
    dialer.setNoDelay(true);
    // Its bytes wait (paused) until the server is reached.
    dialer.pause();
    dialer.on('error', () => dialer.destroy());
    void dialUpstream(target, () => dialer.destroyed || this.isCut()).then((upstream) => {
      if (!upstream || dialer.destroyed || this.isCut()) {
        upstream?.destroy();
        dialer.destroy();
        return;
      }
      const c = new Connection(dialer, upstream, this.route, () => this.connections.delete(c));
      this.connections.add(c);
      dialer.resume();
    });
  }

  private isCut(): boolean {
    const { from, to } = this.route;
    return this.route.state(from, to) === 'cut' || this.route.state(to, from) === 'cut';
  }

  /** Connections open now (both ends). */
  get open(): number {
    return this.connections.size;
  }

  /** Acts on a change of the link's states: cuts, or lets held bytes through. */
  apply(): void {
    const cut = this.isCut();
    for (const c of this.connections) {
      if (cut) c.cut();
      else {
        c.outbound.release();
        c.inbound.release();
      }
    }
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.cut();
    this.connections.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
