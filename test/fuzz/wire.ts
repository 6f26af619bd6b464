import { connect, type Socket } from 'node:net';
import {
  JuteReader, JuteWriter, codec, type RecordName, type RecordType,
} from '@paddock/coord-protocol';

/**
 * A deliberately dumb ZooKeeper wire peer for fuzzing: it writes whatever bytes it is given and
 * reads length-prefixed frames back, so a test can say exactly what reached the server and see
 * exactly what came back (a frame, or the connection closing).
 */

/** Largest reply frame we accept back; a server sending more is itself a finding. */
const MAX_REPLY_FRAME = 4 * 1024 * 1024;

export interface Reply {
  readonly xid: number;
  readonly zxid: number;
  readonly err: number;
  /** Bytes after the ReplyHeader. */
  readonly body: Buffer;
}

/** Encodes one record (no length prefix). */
export function encode<N extends RecordName>(name: N, value: RecordType<N>): Buffer {
  const w = new JuteWriter(256);
  codec(name).encode(w, value);
  return w.take();
}

export function decode<N extends RecordName>(name: N, bytes: Buffer): RecordType<N> {
  return codec(name).decode(new JuteReader(bytes));
}

/** Prefixes bytes with their length, as every client frame is. */
function frame(...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const len = Buffer.allocUnsafe(4);
  len.writeInt32BE(body.length, 0);
  return Buffer.concat([len, body]);
}

/** A frame whose length prefix says `claimed` whatever the body really is. */
export function lyingFrame(claimed: number, body: Buffer): Buffer {
  const len = Buffer.allocUnsafe(4);
  len.writeInt32BE(claimed | 0, 0);
  return Buffer.concat([len, body]);
}

export function requestFrame(xid: number, type: number, body: Buffer = Buffer.alloc(0)): Buffer {
  return frame(encode('RequestHeader', { xid, type }), body);
}

export function connectFrame(timeOut = 30_000, sessionId = 0n, passwd: Buffer = Buffer.alloc(16)): Buffer {
  return frame(encode('ConnectRequest', { protocolVersion: 0, lastZxidSeen: 0, timeOut, sessionId, passwd }));
}

/** A jute ustring from raw bytes, so tests can send byte sequences that are not valid UTF-8. */
export function rawUstring(bytes: Buffer): Buffer {
  const len = Buffer.allocUnsafe(4);
  len.writeInt32BE(bytes.length, 0);
  return Buffer.concat([len, bytes]);
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** Rejects with TimeoutError unless `p` settles within `ms`. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** One TCP connection that frames what it reads and remembers whether the peer closed. */
export class RawConn {
  private buffered: Buffer = Buffer.alloc(0);
  private readonly frames: Buffer[] = [];
  private waiter: (() => void) | null = null;
  private closedFlag = false;
  /** Set when the peer sent something that is not a sane frame. */
  protocolViolation: string | null = null;
  readonly closed: Promise<void>;

  private constructor(private readonly sock: Socket) {
    this.closed = new Promise((resolve) => {
      sock.on('close', () => {
        this.closedFlag = true;
        this.wake();
        resolve();
      });
    });
    sock.on('error', () => { /* a reset is just another way to close; 'close' follows */ });
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  static open(port: number, host = '127.0.0.1', timeoutMs = 5_000): Promise<RawConn> {
    return within(new Promise<RawConn>((resolve, reject) => {
      const sock = connect({ port, host, noDelay: true });
      sock.once('connect', () => { sock.off('error', reject); resolve(new RawConn(sock)); });
      sock.once('error', reject);
    }), timeoutMs, `connect to ${host}:${port}`);
  }

  get isClosed(): boolean {
    return this.closedFlag;
  }

  write(bytes: Buffer): void {
    if (!this.sock.destroyed && bytes.length > 0) this.sock.write(bytes);
  }

  /** Half-closes after `bytes`: the server sees EOF. */
  end(bytes?: Buffer): void {
    if (this.sock.destroyed) return;
    if (bytes && bytes.length > 0) this.sock.end(bytes);
    else this.sock.end();
  }

  destroy(): void {
    this.sock.destroy();
  }

  /** True when the peer closed within `ms`; false when it is still open. */
  async waitClosed(ms: number): Promise<boolean> {
    try {
      await within(this.closed, ms, 'close');
      return true;
    } catch (e) {
      if (e instanceof TimeoutError) return false;
      throw e;
    }
  }

  /** The next whole frame, or null once the connection is closed and nothing is left. */
  async nextFrame(ms: number): Promise<Buffer | null> {
    for (;;) {
      const f = this.frames.shift();
      if (f) return f;
      if (this.closedFlag) return null;
      await within(new Promise<void>((r) => { this.waiter = r; }), ms, 'frame');
    }
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const len = this.buffered.readInt32BE(0);
      if (len < 0 || len > MAX_REPLY_FRAME) {
        this.protocolViolation = `reply frame length ${len}`;
        this.sock.destroy();
        return;
      }
      if (this.buffered.length < 4 + len) break;
      this.frames.push(this.buffered.subarray(4, 4 + len));
      this.buffered = this.buffered.subarray(4 + len);
    }
    this.wake();
  }
}

export function parseReply(f: Buffer): Reply {
  const r = new JuteReader(f);
  const h = codec('ReplyHeader').decode(r);
  return { xid: h.xid, zxid: h.zxid, err: h.err, body: f.subarray(r.offset) };
}

/** Reserved xids of server-initiated frames. */
const NOTIFICATION_XID = -1;
const PING_XID = -2;

/** A raw connection with an established session; `call` matches replies by xid. */
export class RawSession {
  private nextXid = 1;

  private constructor(
    readonly conn: RawConn,
    readonly sessionId: bigint,
    readonly passwd: Buffer,
    readonly timeOut: number,
  ) {}

  static async open(port: number, timeOut = 30_000, ms = 5_000): Promise<RawSession> {
    const conn = await RawConn.open(port, '127.0.0.1', ms);
    conn.write(connectFrame(timeOut));
    const f = await conn.nextFrame(ms);
    if (!f) throw new Error('server closed the connection instead of answering ConnectRequest');
    const res = decode('ConnectResponse', f);
    if (res.timeOut <= 0) throw new Error(`session refused (timeOut ${res.timeOut})`);
    return new RawSession(conn, res.sessionId, res.passwd ?? Buffer.alloc(0), res.timeOut);
  }

  /** An xid this session has not used yet. */
  xid(): number {
    return this.nextXid++;
  }

  /** Sends one request and returns its reply, or null if the server closed the connection. */
  async call(type: number, body: Buffer = Buffer.alloc(0), ms = 5_000): Promise<Reply | null> {
    const xid = this.xid();
    this.conn.write(requestFrame(xid, type, body));
    return this.replyTo(xid, ms);
  }

  /**
   * Reads frames until the reply for `xid`, skipping notifications and pings. Any other xid
   * means replies came out of order, which ZooKeeper never does.
   */
  async replyTo(xid: number, ms = 5_000): Promise<Reply | null> {
    for (;;) {
      const f = await this.conn.nextFrame(ms);
      if (!f) return null;
      const reply = parseReply(f);
      if (reply.xid === NOTIFICATION_XID || reply.xid === PING_XID) continue;
      if (reply.xid !== xid) throw new Error(`reply xid ${reply.xid} while waiting for ${xid}`);
      return reply;
    }
  }

  /** closeSession, then wait for the server to close the socket. */
  async close(ms = 5_000): Promise<void> {
    const CLOSE_SESSION = -11;
    if (!this.conn.isClosed) {
      this.conn.write(requestFrame(this.xid(), CLOSE_SESSION));
      await this.conn.waitClosed(ms);
    }
    this.conn.destroy();
  }
}
