import { connect, type Socket } from 'node:net';
import { FrameCodec, HEADER_BYTES } from '../wire/frame-codec.js';
import { FrameDecoder } from '../tcp/frame-decoder.js';
import { GOAWAY_ACK_FRAME, KIND, PREFACE, PREFACE_BYTES, writeAttachments } from '../tcp/tcp-protocol.js';

/**
 * A hand-driven tcp peer for tests: sends whatever bytes or messages a test wants (malformed,
 * oversized, out of protocol) and hands back the decoded messages it receives, in order.
 */
export class RawConnection {
  readonly closed: Promise<void>;
  private readonly codec = new FrameCodec(64 * 1024 * 1024, 1_000_000);
  private readonly inbox: unknown[][] = [];
  private readonly waiting: ((m: unknown[]) => void)[] = [];
  private isClosed = false;

  /** The provider's preface, as received (the first 8 bytes, not decoded as frames). */
  peerPreface = Buffer.alloc(0);

  private constructor(readonly socket: Socket) {
    const decoder = new FrameDecoder(64 * 1024 * 1024, { onFrame: (body) => this.push(this.codec.decode(body) as unknown[]) });
    socket.on('data', (chunk: Buffer) => {
      const want = PREFACE_BYTES - this.peerPreface.length;
      if (want > 0) {
        this.peerPreface = Buffer.concat([this.peerPreface, chunk.subarray(0, want)]);
        chunk = chunk.subarray(want);
      }
      if (chunk.length > 0) decoder.push(chunk);
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => {
      this.isClosed = true;
      resolve();
    }));
  }

  /** Connects and sends `preface` first (ours by default; null: none, to send something else). */
  static open(port: number, host = '127.0.0.1', preface: Buffer | null = PREFACE): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      if (preface !== null) socket.write(preface);
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  sendBytes(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  send(message: readonly unknown[]): void {
    this.socket.write(this.codec.encode(message));
  }

  /** A REQUEST with the given fields (defaults fill the rest). */
  request(id: number, f: { service: string; method: string; args?: unknown[]; version?: string; group?: string; attachments?: Record<string, string> | null; deadline?: number }): void {
    this.send([KIND.REQUEST, id, f.service, f.version ?? '*', f.group ?? 'default', f.method, f.args ?? [], writeAttachments(f.attachments ?? null), f.deadline ?? Date.now() + 30_000]);
  }

  ackGoaway(): void {
    this.socket.write(GOAWAY_ACK_FRAME);
  }

  /** The next message received (pings included), or a rejection after `ms`. */
  next(ms = 10_000): Promise<unknown[]> {
    const m = this.inbox.shift();
    if (m !== undefined) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message within ${ms} ms`)), ms);
      this.waiting.push((msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
    });
  }

  /** The next message of a kind, skipping others (such as pings). */
  async nextOf(kind: number, ms = 10_000): Promise<unknown[]> {
    for (;;) {
      const m = await this.next(ms);
      if (m[0] === kind) return m;
    }
  }

  close(): void {
    this.socket.destroy();
  }

  /** One encoded frame, to send in pieces. */
  static frame(message: readonly unknown[]): Buffer {
    return new FrameCodec(64 * 1024 * 1024, 1_000_000).encode(message);
  }

  /** A frame header stating `length` bytes, for oversized-frame tests. */
  static header(length: number): Buffer {
    const b = Buffer.alloc(HEADER_BYTES);
    b.writeUInt32BE(length, 0);
    return b;
  }

  private push(m: unknown[]): void {
    const w = this.waiting.shift();
    if (w) w(m);
    else this.inbox.push(m);
  }
}
