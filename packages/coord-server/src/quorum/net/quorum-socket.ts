import { type Socket, connect } from 'node:net';
import { JuteWriter } from '@paddock/coord-protocol';
import { QuorumPacketDecoder, writeQuorumPacket, type QuorumInput, type QuorumPacket } from '../wire/quorum-packet.js';

/** Queued packets leave at once when they reach this many bytes, not only at the end of the turn. */
const FLUSH_BYTES = 1024 * 1024;

/**
 * One quorum-port connection: packets out, packets (and, on a learner, the snapshot after
 * SNAP) in. A malformed stream closes it, with the reason.
 */
export class QuorumSocket {
  private readonly decoder: QuorumPacketDecoder;
  private closed = false;
  /** Packets queued for the next write, encoded one after another in one buffer. */
  private out = new JuteWriter();
  private pendingPackets = 0;

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
    return { packets: this.pendingPackets, bytes: this.socket.writableLength + this.out.offset };
  }

  /**
   * Queues a packet; the packets of one event-loop turn leave in one write (ZooKeeper writes
   * through a buffered stream and flushes when its queue empties). One write per packet cost
   * a leader half its busy time in the kernel under load.
   */
  send(p: QuorumPacket): void {
    if (this.closed) return;
    try {
      // Checked before a byte is written: a refused packet leaves the queue as it was.
      writeQuorumPacket(this.out, p);
    } catch (e) {
      // A packet the peer could not read (over its limits): drop the peer, never the server.
      return this.close(`cannot send: ${(e as Error).message}`);
    }
    // setImmediate, not nextTick: the packets of a whole batch of requests go together.
    if (++this.pendingPackets === 1) setImmediate(this.flush);
    // A sync's DIFF may queue hundreds of MB in one turn: it leaves in pieces of about this size.
    else if (this.out.offset >= FLUSH_BYTES) this.flush();
  }

  /** Bytes outside any packet (the snapshot section after SNAP), after what is queued. */
  sendRaw(bytes: Buffer): void {
    if (this.closed) return;
    this.flush();
    this.socket.write(bytes);
  }

  private readonly flush = (): void => {
    if (this.pendingPackets === 0 || this.closed) return;
    const bytes = this.out.take();
    this.out.reset();
    this.pendingPackets = 0;
    // Do not keep a buffer a big sync grew for the connection's life.
    if (this.out.buf.length > 4 * FLUSH_BYTES) this.out = new JuteWriter();
    this.socket.write(bytes);
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
