import { connect, type Socket } from 'node:net';
import { FrameDecoder, JuteReader, JuteWriter, OpCode, Xid, codec, type ConnectRequest } from '@paddock/coord-protocol';
import { writeCoalesced, type Clock, type TimerHandle } from '@paddock/edges';
import { formatHost, type HostPort } from './connect-string.js';

/** What the client sends to open or resume a session: ConnectRequest plus the readOnly byte. */
export interface Hello extends ConnectRequest {
  readonly readOnly: boolean;
}

/** ConnectResponse plus the optional readOnly byte (absent from servers before 3.4). */
export interface Welcome {
  readonly protocolVersion: number;
  /** Negotiated session timeout; <= 0 means the server refused the session as expired. */
  readonly timeOut: number;
  readonly sessionId: bigint;
  readonly passwd: Buffer;
  readonly readOnly: boolean;
}

export interface ConnectionOptions {
  readonly target: HostPort;
  /** Bound on TCP connect plus the ConnectRequest/ConnectResponse exchange. */
  readonly timeoutMs: number;
  readonly maxFrameBytes: number;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
}

export interface KeepAlive {
  /** No byte from the server for this long means the connection is dead (2/3 of the session). */
  readonly readTimeoutMs: number;
  /** Send a ping when nothing was sent for this long (half the read timeout). */
  readonly pingIntervalMs: number;
}

export interface ConnectionHandler {
  onFrame(frame: Buffer): void;
  onClose(reason: Error): void;
}

const connectRequest = codec('ConnectRequest');
const connectResponse = codec('ConnectResponse');

/** Pings carry no body: a header with xid -2 and op ping, built once. */
const PING = (() => {
  const w = new JuteWriter(16);
  const at = w.beginFrame();
  codec('RequestHeader').encode(w, { xid: Xid.ping, type: OpCode.ping });
  w.endFrame(at);
  return w.take();
})();

function helloFrame(hello: Hello): Buffer {
  const w = new JuteWriter(64);
  const at = w.beginFrame();
  connectRequest.encode(w, hello);
  w.bool(hello.readOnly);
  w.endFrame(at);
  return w.take();
}

function decodeWelcome(frame: Buffer): Welcome {
  const r = new JuteReader(frame);
  const res = connectResponse.decode(r);
  const readOnly = r.remaining > 0 ? r.bool() : false;
  return { ...res, passwd: res.passwd ?? Buffer.alloc(0), readOnly };
}

/**
 * One TCP connection to one server: framing, the session handshake, pings when idle and the
 * read timeout. It knows nothing of requests or watches; the session above it reconnects.
 */
export class Connection {
  private readonly decoder: FrameDecoder;
  private handler: ConnectionHandler | null = null;
  /** Frames that arrived after the ConnectResponse but before start() (copied). */
  private early: Buffer[] = [];
  private keepAlive: KeepAlive | null = null;
  private timer: TimerHandle | null = null;
  private lastSend = 0;
  private lastRecv = 0;
  private done = false;
  private onWelcome: ((w: Welcome) => void) | null = null;
  private onFail: ((err: Error) => void) | null = null;
  /** Resolves with the reason once the connection is gone, whoever closed it. */
  readonly closed: Promise<Error>;
  private resolveClosed!: (reason: Error) => void;

  private constructor(private readonly socket: Socket, private readonly opts: ConnectionOptions) {
    this.decoder = new FrameDecoder(opts.maxFrameBytes, (buf, start, end) => this.onFrame(buf.subarray(start, end)));
    this.closed = new Promise((resolve) => { this.resolveClosed = resolve; });
    this.lastSend = this.lastRecv = opts.clock.now();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.close(err));
    socket.on('close', () => this.close(new Error(`connection to ${this.name} closed by peer`)));
  }

  get name(): string {
    return formatHost(this.opts.target);
  }

  get isClosed(): boolean {
    return this.done;
  }

  /** Connects and exchanges ConnectRequest/ConnectResponse within `timeoutMs`. */
  static open(opts: ConnectionOptions, hello: Hello): Promise<{ connection: Connection; welcome: Welcome }> {
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(new Error('connect aborted'));
        return;
      }
      const socket = connect(opts.target.port, opts.target.host);
      const conn = new Connection(socket, opts);
      const abort = (): void => conn.close(new Error('connect aborted'));
      opts.signal?.addEventListener('abort', abort, { once: true });
      const deadline = opts.clock.setTimeout(
        () => conn.close(new Error(`no session from ${conn.name} within ${opts.timeoutMs} ms`)), opts.timeoutMs);
      const settle = (): void => {
        opts.clock.clearTimeout(deadline);
        opts.signal?.removeEventListener('abort', abort);
        conn.onWelcome = conn.onFail = null;
      };
      conn.onWelcome = (welcome) => { settle(); resolve({ connection: conn, welcome }); };
      conn.onFail = (err) => { settle(); reject(err); };
      socket.once('connect', () => conn.send(helloFrame(hello)));
    });
  }

  /** Hands frames to the session and starts pinging; called once the session is established. */
  start(handler: ConnectionHandler, keepAlive: KeepAlive): void {
    this.handler = handler;
    this.keepAlive = keepAlive;
    this.arm();
    const early = this.early;
    this.early = [];
    for (const frame of early) if (!this.done) handler.onFrame(frame);
  }

  send(frame: Buffer): void {
    if (this.done) return;
    this.lastSend = this.opts.clock.now();
    writeCoalesced(this.socket, frame);
  }

  /** Drops the connection; the handler hears of it once, synchronously. */
  close(reason: Error = new Error('closed by client')): void {
    if (this.done) return;
    this.done = true;
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer);
    this.timer = null;
    this.socket.destroy();
    this.onFail?.(reason);
    this.resolveClosed(reason);
    this.handler?.onClose(reason);
  }

  private onData(chunk: Buffer): void {
    if (this.done) return;
    this.lastRecv = this.opts.clock.now();
    try {
      this.decoder.push(chunk);
    } catch (err) {
      this.close(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private onFrame(frame: Buffer): void {
    if (this.done) return;
    if (this.handler) {
      this.handler.onFrame(frame);
    } else if (this.onWelcome) {
      this.onWelcome(decodeWelcome(frame));
    } else {
      this.early.push(Buffer.from(frame));
    }
  }

  /** One coarse timer, re-armed from timestamps rather than on every send and receive. */
  private arm(): void {
    const ka = this.keepAlive;
    if (!ka || this.done) return;
    const now = this.opts.clock.now();
    const due = Math.min(this.lastRecv + ka.readTimeoutMs, this.lastSend + ka.pingIntervalMs);
    this.timer = this.opts.clock.setTimeout(() => this.tick(), Math.max(1, due - now));
  }

  private tick(): void {
    const ka = this.keepAlive;
    this.timer = null;
    if (!ka || this.done) return;
    const now = this.opts.clock.now();
    const silent = now - this.lastRecv;
    if (silent >= ka.readTimeoutMs) {
      this.close(new Error(`nothing heard from ${this.name} for ${silent} ms (read timeout ${ka.readTimeoutMs} ms)`));
      return;
    }
    if (now - this.lastSend >= ka.pingIntervalMs) this.send(PING);
    this.arm();
  }
}
