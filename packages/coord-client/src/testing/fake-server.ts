import { createServer, type Server, type Socket } from 'node:net';
import { FrameDecoder, JuteReader, JuteWriter, codec, type ConnectRequest } from '@paddock/coord-protocol';

export interface FakeRequest {
  readonly xid: number;
  readonly type: number;
  /** The body after the request header. */
  readonly body: JuteReader;
}

/** A queue whose `next()` waits for the next item pushed, for scripted tests. */
class Inbox<T> {
  private items: T[] = [];
  private waiting: ((v: T) => void)[] = [];

  push(item: T): void {
    const w = this.waiting.shift();
    if (w) w(item);
    else this.items.push(item);
  }

  next(ms = 5000): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing arrived within ${ms} ms`)), ms);
      this.waiting.push((v) => { clearTimeout(timer); resolve(v); });
    });
  }
}

/** One client connection as the fake server sees it. */
export class FakeConnection {
  hello: (ConnectRequest & { readOnly: boolean }) | null = null;
  readonly requests = new Inbox<FakeRequest>();
  readonly closed: Promise<void>;

  constructor(readonly socket: Socket, private readonly server: FakeServer) {
    const decoder = new FrameDecoder(1 << 20, (buf, start, end) => { this.onFrame(Buffer.from(buf.subarray(start, end))); });
    let first = true;
    socket.on('data', (chunk: Buffer) => {
      // A four-letter word instead of a frame: answer it and hang up, as ZooKeeper does.
      if (first && /^[a-z]{4}$/.test(chunk.subarray(0, 4).toString('latin1'))) {
        socket.end(server.fourLetterReply);
        return;
      }
      first = false;
      decoder.push(chunk);
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }

  private onFrame(frame: Buffer): void {
    const r = new JuteReader(frame);
    if (!this.hello) {
      const req = codec('ConnectRequest').decode(r);
      this.hello = { ...req, readOnly: r.remaining > 0 ? r.bool() : false };
      this.server.onHello(this);
      return;
    }
    const h = codec('RequestHeader').decode(r);
    this.requests.push({ xid: h.xid, type: h.type, body: r });
  }

  welcome(timeOut: number, sessionId: bigint, readOnly = false): void {
    const w = new JuteWriter();
    const at = w.beginFrame();
    codec('ConnectResponse').encode(w, { protocolVersion: 0, timeOut, sessionId, passwd: Buffer.alloc(16, 7) });
    w.bool(readOnly);
    w.endFrame(at);
    this.socket.write(w.take());
  }

  reply(xid: number, zxid: number, err: number, body?: (w: JuteWriter) => void): void {
    const w = new JuteWriter();
    const at = w.beginFrame();
    codec('ReplyHeader').encode(w, { xid, zxid, err });
    body?.(w);
    w.endFrame(at);
    this.socket.write(w.take());
  }

  notify(type: number, path: string): void {
    this.reply(-1, -1, 0, (w) => codec('WatcherEvent').encode(w, { type, state: 3, path }));
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * A scripted stand-in for a ZooKeeper server: it records what the client sends and answers
 * only what the test tells it to, so reply order, silence and refusals can be staged exactly.
 */
export class FakeServer {
  readonly connections = new Inbox<FakeConnection>();
  private readonly open = new Set<FakeConnection>();
  /** How the server answers each ConnectRequest; null leaves it to the test. */
  autoWelcome: { timeOut: number; sessionId: bigint; readOnly?: boolean } | null = { timeOut: 3000, sessionId: 0x1234n };
  /** The answer to any four-letter word (`isro`: "rw" or "ro"). */
  fourLetterReply = 'rw';

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(): Promise<FakeServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const addr = server.address();
    const fake = new FakeServer(server, typeof addr === 'object' && addr ? addr.port : 0);
    server.on('connection', (s) => {
      const conn = new FakeConnection(s, fake);
      fake.open.add(conn);
      void conn.closed.then(() => fake.open.delete(conn));
    });
    return fake;
  }

  get connectString(): string {
    return `127.0.0.1:${this.port}`;
  }

  onHello(conn: FakeConnection): void {
    const w = this.autoWelcome;
    if (w) conn.welcome(w.timeOut, w.sessionId, w.readOnly);
    this.connections.push(conn);
  }

  async close(): Promise<void> {
    for (const c of this.open) c.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
