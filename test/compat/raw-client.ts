import { connect, type Socket } from 'node:net';
import {
  JuteReader, JuteWriter, OpCode, Xid, codec, decodeMultiResponse, opSpec,
  type Codec, type ConnectResponse, type MultiResult,
} from '@paddock/coord-protocol';

/**
 * A deliberately thin ZooKeeper wire client for differential tests. It sends exactly the bytes a
 * script asks for (bad paths, bad versions, unknown op codes, raw frames), never pings on its
 * own, never retries, and keeps an ordered log of everything the server sent, so the order of
 * replies and watch notifications on one connection can be compared between servers.
 */

export interface Target {
  readonly host: string;
  readonly port: number;
}

export interface HandshakeOptions {
  /** Requested session timeout in ms. */
  readonly timeOut: number;
  readonly sessionId?: bigint;
  /** Default 16 zero bytes; null sends jute's null buffer (length -1). */
  readonly passwd?: Buffer | null;
  readonly lastZxidSeen?: number;
  readonly protocolVersion?: number;
  /** The trailing readOnly flag 3.4+ clients send; null leaves the byte out. */
  readonly readOnly?: boolean | null;
  /** Bound on waiting for the ConnectResponse. */
  readonly waitMs?: number;
}

export type Handshake =
  | { readonly kind: 'connected'; readonly resp: ConnectResponse; readonly readOnly: boolean | null }
  | { readonly kind: 'closed' }
  | { readonly kind: 'timeout' };

/** A reply to one request: the header as sent, plus the body decoded for the op we sent. */
export interface Reply {
  readonly kind: 'reply';
  readonly xid: number;
  readonly zxid: number;
  readonly err: number;
  /** Op code of the request this reply answers (null when no request matched). */
  readonly op: number | null;
  readonly body: unknown;
  /** Set when body bytes were present but did not decode as the op's response record. */
  readonly bodyError?: string;
  /** Bytes left in the frame after the decoded body. */
  readonly extra: number;
  /** Those bytes in hex when there are few of them (a body the op is not known to have). */
  readonly extraHex?: string;
}

interface Notification {
  readonly kind: 'event';
  readonly xid: number;
  readonly zxid: number;
  readonly err: number;
  readonly type: number;
  readonly state: number;
  readonly path: string;
}

export type Received =
  | Reply
  | Notification
  | { readonly kind: 'connect'; readonly resp: ConnectResponse }
  | { readonly kind: 'close' }
  | { readonly kind: 'garbage'; readonly bytes: number; readonly error: string };

interface Pending {
  readonly xid: number;
  readonly op: number;
  readonly resolve: (r: Reply | { kind: 'closed' }) => void;
}

interface Waiter {
  readonly test: () => boolean;
  readonly resolve: (ok: boolean) => void;
}

/** Bound on a frame the server may send us: jute.maxbuffer plus headroom. */
const MAX_INBOUND_FRAME = 8 * 1024 * 1024;
const CONNECT_REQUEST = codec('ConnectRequest');
const CONNECT_RESPONSE = codec('ConnectResponse');
const REPLY_HEADER = codec('ReplyHeader');
const WATCHER_EVENT = codec('WatcherEvent');

export class RawClient {
  /** Everything received, in arrival order. */
  readonly log: Received[] = [];
  private readonly pending: Pending[] = [];
  private readonly waiters = new Set<Waiter>();
  private inbound: Buffer = Buffer.alloc(0);
  private handshakeDone = false;
  private onHandshake: ((h: Handshake) => void) | null = null;
  private closed = false;
  private nextXid = 1;

  private constructor(private readonly sock: Socket) {
    sock.setNoDelay(true);
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
    // A reset and an orderly close are the same outcome for a script: the connection is gone.
    sock.on('error', () => undefined);
    sock.on('close', () => this.onClose());
  }

  /** Opens a TCP connection and performs the session handshake. */
  static async open(target: Target, opts: HandshakeOptions): Promise<{ client: RawClient; handshake: Handshake }> {
    const sock = connect(target.port, target.host);
    const client = new RawClient(sock);
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    const handshake = await client.handshake(opts);
    return { client, handshake };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Requests not answered yet. */
  get inFlight(): number {
    return this.pending.length;
  }

  private handshake(opts: HandshakeOptions): Promise<Handshake> {
    const w = new JuteWriter();
    const at = w.beginFrame();
    CONNECT_REQUEST.encode(w, {
      protocolVersion: opts.protocolVersion ?? 0,
      lastZxidSeen: opts.lastZxidSeen ?? 0,
      timeOut: opts.timeOut,
      sessionId: opts.sessionId ?? 0n,
      passwd: opts.passwd === undefined ? Buffer.alloc(16) : opts.passwd,
    });
    if (opts.readOnly !== null) w.bool(opts.readOnly ?? false);
    w.endFrame(at);
    return new Promise<Handshake>((resolve) => {
      const timer = setTimeout(() => finish({ kind: 'timeout' }), opts.waitMs ?? 5000);
      const finish = (h: Handshake): void => {
        clearTimeout(timer);
        this.onHandshake = null;
        resolve(h);
      };
      this.onHandshake = finish;
      this.sock.write(w.take());
    });
  }

  /** Allocates the next request xid (1, 2, 3, ...), as real clients do. */
  allocXid(): number {
    return this.nextXid++;
  }

  /**
   * Sends one framed request: header {xid, type} followed by `body` (already encoded). Resolves
   * with the reply that answers it, or `closed` if the connection ends first.
   */
  request(op: number, body: Buffer, xid: number = op === OpCode.ping ? Xid.ping : this.allocXid()): Promise<Reply | { kind: 'closed' }> {
    // Frame = length, RequestHeader {xid, type}, then the body bytes exactly as given.
    const head = Buffer.allocUnsafe(12);
    head.writeInt32BE(8 + body.length, 0);
    head.writeInt32BE(xid, 4);
    head.writeInt32BE(op, 8);
    return new Promise((resolve) => {
      if (this.closed) {
        resolve({ kind: 'closed' });
        return;
      }
      this.pending.push({ xid, op, resolve });
      this.sock.write(Buffer.concat([head, body]));
    });
  }

  /** Writes bytes exactly as given (no framing added). */
  writeRaw(bytes: Buffer): void {
    if (!this.closed) this.sock.write(bytes);
  }

  /** Resolves true once `test` holds (checked on every arrival), false after `timeoutMs`. */
  waitUntil(test: () => boolean, timeoutMs: number): Promise<boolean> {
    if (test()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        test,
        resolve: (ok) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(ok);
        },
      };
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Waits for the server to close the connection (bounded). */
  waitClosed(timeoutMs: number): Promise<boolean> {
    return this.waitUntil(() => this.closed, timeoutMs);
  }

  /** Drops the TCP connection without telling the server anything. */
  destroy(): void {
    this.sock.destroy();
  }

  private record(entry: Received): void {
    this.log.push(entry);
    for (const w of [...this.waiters]) if (w.test()) w.resolve(true);
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.onHandshake?.({ kind: 'closed' });
    for (const p of this.pending.splice(0)) p.resolve({ kind: 'closed' });
    this.record({ kind: 'close' });
  }

  private onData(chunk: Buffer): void {
    this.inbound = this.inbound.length === 0 ? chunk : Buffer.concat([this.inbound, chunk]);
    while (this.inbound.length >= 4) {
      const len = this.inbound.readInt32BE(0);
      if (len < 0 || len > MAX_INBOUND_FRAME) {
        this.record({ kind: 'garbage', bytes: this.inbound.length, error: `frame length ${len}` });
        this.sock.destroy();
        return;
      }
      if (this.inbound.length < 4 + len) return;
      const frame = this.inbound.subarray(4, 4 + len);
      this.inbound = this.inbound.subarray(4 + len);
      this.onFrame(frame);
    }
  }

  private onFrame(frame: Buffer): void {
    const r = new JuteReader(frame);
    try {
      if (!this.handshakeDone) {
        this.handshakeDone = true;
        const resp = CONNECT_RESPONSE.decode(r);
        const readOnly = r.remaining > 0 ? r.bool() : null;
        this.record({ kind: 'connect', resp });
        this.onHandshake?.({ kind: 'connected', resp, readOnly });
        return;
      }
      const h = REPLY_HEADER.decode(r);
      if (h.xid === Xid.notification) {
        const ev = WATCHER_EVENT.decode(r);
        this.record({ kind: 'event', xid: h.xid, zxid: h.zxid, err: h.err, ...ev });
        return;
      }
      const p = this.matchPending(h.xid);
      const reply: Reply = { kind: 'reply', ...h, op: p?.op ?? null, ...decodeBody(p?.op ?? null, h.err, r) };
      this.record(reply);
      p?.resolve(reply);
    } catch (e) {
      this.record({ kind: 'garbage', bytes: frame.length, error: (e as Error).message });
    }
  }

  /**
   * Replies come back in request order on one connection, but a server may answer a ping with
   * its own ping xid, so match by xid first and fall back to the oldest request.
   */
  private matchPending(xid: number): Pending | undefined {
    const i = this.pending.findIndex((p) => p.xid === xid);
    return this.pending.splice(i >= 0 ? i : 0, 1)[0];
  }
}

function responseCodec(op: number): Codec<unknown> | null {
  const name = opSpec(op)?.response;
  return name ? (codec(name) as Codec<unknown>) : null;
}

interface Decoded {
  body: unknown;
  bodyError?: string;
  extra: number;
  extraHex?: string;
}

function decodeBody(op: number | null, err: number, r: JuteReader): Decoded {
  const d = decodeKnownBody(op, err, r);
  if (d.extra > 0 && d.extra <= 16) d.extraHex = r.buf.toString('hex', r.end - d.extra, r.end);
  return d;
}

function decodeKnownBody(op: number | null, err: number, r: JuteReader): Decoded {
  if (op === null || r.remaining === 0) return { body: null, extra: r.remaining };
  const start = r.offset;
  try {
    if (op === OpCode.multi || op === OpCode.multiRead) {
      const body: MultiResult[] = decodeMultiResponse(r);
      return { body, extra: r.remaining };
    }
    const c = responseCodec(op);
    if (!c) return { body: null, extra: r.remaining };
    // As sent: a null string must not read as "" here, or a null and an empty answer would compare equal.
    return { body: c.decodeWire(r), extra: r.remaining };
  } catch (e) {
    r.offset = start;
    return { body: null, bodyError: `${(e as Error).message} (err ${err})`, extra: r.remaining };
  }
}

/** Encodes one request body with the op's request record (or empty for body-less ops). */
export function encodeBody(op: number, body: unknown): Buffer {
  const name = opSpec(op)?.request;
  if (!name || body === null || body === undefined) return Buffer.alloc(0);
  const w = new JuteWriter();
  (codec(name) as Codec<unknown>).encode(w, body);
  return w.take();
}
