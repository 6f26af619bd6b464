import { connect, createServer, type Socket } from 'node:net';
import type { EchoCaller, EchoDriver, EchoSystem, Payload } from './system.js';

const HEADER = 4;

/** Cuts 4-byte big-endian length-prefixed frames out of a socket's chunks; hands each whole frame (prefix included) over. */
function readFrames(socket: Socket, onFrame: (frame: Buffer) => void): void {
  let rest: Buffer | null = null;
  socket.on('data', (chunk: Buffer) => {
    let buf = rest === null ? chunk : Buffer.concat([rest, chunk]);
    let offset = 0;
    while (buf.length - offset >= HEADER) {
      const end = offset + HEADER + buf.readUInt32BE(offset);
      if (end > buf.length) break;
      onFrame(buf.subarray(offset, end));
      offset = end;
    }
    rest = offset === buf.length ? null : buf.subarray(offset);
  });
}

/** One connection: a frame out per call, replies matched in order (the server answers in order). */
class RawCaller implements EchoCaller {
  private readonly waiting: ((reply: Payload) => void)[] = [];
  private head = 0;

  constructor(private readonly socket: Socket) {
    readFrames(socket, (frame) => this.onReply(frame.subarray(HEADER)));
  }

  call(payload: Payload): Promise<Payload> {
    const body = payload as Buffer;
    const frame = Buffer.allocUnsafe(HEADER + body.length);
    frame.writeUInt32BE(body.length, 0);
    body.copy(frame, HEADER);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.socket.write(frame);
    });
  }

  private onReply(body: Buffer): void {
    const resolve = this.waiting[this.head] as (reply: Payload) => void;
    this.waiting[this.head++] = noop;
    // Index-based FIFO: compact once the consumed half is large.
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    resolve(body);
  }
}

function noop(): void {}

/**
 * The ceiling: plain node:net, 4-byte length-prefixed frames, every frame written back as it
 * is parsed with one socket.write, one socket.write per call on the client, no corking and no
 * serialization. No timeouts, no ids, no error path: what is left is the cost of Node's
 * sockets and event loop.
 */
export const rawSystem: EchoSystem = {
  label: 'raw node:net echo',
  payload: 'bytes',
  setupNote: 'no ids, timeouts, serialization or error path: the cost of Node\'s sockets and event loop',
  connectionsNote: 'N sockets, calls round robin over them',
  async serve(port) {
    const server = createServer({ noDelay: true }, (socket) => {
      readFrames(socket, (frame) => socket.write(frame));
      socket.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  },
  async connect(port, connections): Promise<EchoDriver> {
    const sockets = Array.from({ length: connections }, () => connect({ host: '127.0.0.1', port, noDelay: true }));
    const close = async (): Promise<void> => {
      for (const s of sockets) s.destroy();
    };
    try {
      await Promise.all(sockets.map((s) => new Promise<void>((resolve, reject) => {
        s.once('connect', resolve);
        s.once('error', reject);
      })));
    } catch (err) {
      await close();
      throw err;
    }
    return { callers: sockets.map((s) => new RawCaller(s)), close };
  },
};
