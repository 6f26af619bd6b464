import { type Socket, connect } from 'node:net';
import { encodeQuorumPacket, QuorumPacketDecoder, type QuorumInput, type QuorumPacket } from '../wire/quorum-packet.js';

/**
 * One quorum-port connection: packets out, packets (and, on a learner, the snapshot after
 * SNAP) in. A malformed stream closes it, with the reason.
 */
export class QuorumSocket {
  private readonly decoder: QuorumPacketDecoder;
  private closed = false;
  private pending: Buffer[] = [];

  constructor(
    readonly socket: Socket,
    side: 'leader' | 'learner',
    private readonly onInput: (input: QuorumInput) => void,
    private readonly onClose: (reason: string) => void,
  ) {
    this.decoder = new QuorumPacketDecoder(side);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let inputs: QuorumInput[];
      try {
        inputs = this.decoder.push(chunk);
      } catch (e) {
        return this.close(`bad packet: ${(e as Error).message}`);
      }
      for (const i of inputs) {
        if (this.closed) return;
        this.onInput(i);
      }
    });
    socket.on('error', (e) => this.close(e.message));
    socket.on('close', () => this.close('connection closed'));
  }

  /** "host:port" of the other end. */
  get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? 0}`;
  }

  /** Packets queued for the next write, and the bytes of those plus what the socket has not yet written. */
  get queued(): { packets: number; bytes: number } {
    let bytes = this.socket.writableLength;
    for (const b of this.pending) bytes += b.length;
    return { packets: this.pending.length, bytes };
  }

  /**
   * Queues a packet; the packets of one event-loop turn leave in one write (ZooKeeper writes
   * through a buffered stream and flushes when its queue empties). One write per packet cost
   * a leader half its busy time in the kernel under load.
   */
  send(p: QuorumPacket): void {
    if (this.closed) return;
    let bytes: Buffer;
    try {
      bytes = encodeQuorumPacket(p);
    } catch (e) {
      // A packet the peer could not read (over its limits): drop the peer, never the server.
      return this.close(`cannot send: ${(e as Error).message}`);
    }
    this.pending.push(bytes);
    // setImmediate, not nextTick: the packets of a whole batch of requests go together.
    if (this.pending.length === 1) setImmediate(this.flush);
  }

  /** Bytes outside any packet (the snapshot section after SNAP), after what is queued. */
  sendRaw(bytes: Buffer): void {
    if (this.closed) return;
    this.flush();
    this.socket.write(bytes);
  }

  private readonly flush = (): void => {
    const out = this.pending;
    if (out.length === 0 || this.closed) return;
    this.pending = [];
    this.socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
  };

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.onClose(reason);
  }

  /** Dials a leader's quorum port; rejects on error or after `timeoutMs`. */
  static dial(host: string, port: number, timeoutMs: number): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`connect to ${host}:${port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        resolve(s);
      });
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }
}
