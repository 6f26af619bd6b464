import type { Socket } from 'node:net';
import { writeCoalesced } from '@paddock/edges';
import {
  type FourLetterWord, FrameDecoder, FrameError, type Id, JuteReader, codec, fourLetterWordOf,
} from '@paddock/coord-protocol';
import type { Logger } from '../base/logger.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { ClientConn } from '../pipeline/client-conn.js';
import type { Session } from '../session/session-tracker.js';

/** What a connection needs from the server around it. */
export interface ConnectionHost {
  readonly pipeline: Pipeline;
  /** False while an ensemble member is electing or syncing: a connect is refused. */
  readonly serving: boolean;
  readonly logger: Logger;
  readonly maxBuffer: number;
  /** Ms a connection may take to send its ConnectRequest (ZooKeeper's sessionlessCnxnTimeout). */
  readonly sessionlessCnxnTimeout: number;
  /**
   * Adds `delta` to the bytes of incomplete frames buffered across all connections; false when
   * a growth takes the total past its bound (the connection that grew it is closed).
   */
  holdPartialFrames(delta: number): boolean;
  fourLetterWord(word: FourLetterWord): string;
  connectionClosed(conn: ServerConnection): void;
}

const connectRequest = codec('ConnectRequest');
const requestHeader = codec('RequestHeader');
/** Above this many unsent bytes we stop reading the client's requests until the socket drains. */
const HIGH_WATER = 1024 * 1024;
/** A client this far behind on reading (watch events pile up) is disconnected. */
const MAX_OUTBOUND = 64 * 1024 * 1024;
/**
 * The largest frame taken before the handshake. A ConnectRequest is about 45 bytes (with
 * ZooKeeper's 16-byte password), so a peer that has not said who it is cannot make the server
 * buffer a jute.maxbuffer-sized frame.
 */
const MAX_CONNECT_FRAME = 4096;

/**
 * One client connection (ZooKeeper's ServerCnxn): framing, the first frame handed to the
 * pipeline's handshake, back-pressure. It is also the identity watches are kept under; the
 * pipeline encodes and sends their events.
 */
export class ServerConnection implements ClientConn {
  session: Session | null = null;
  readonly authInfo: Id[];
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly openedAt = Date.now();
  received = 0;
  sent = 0;
  held = 0;
  private handshaken = false;
  private closed = false;
  /** Reading stops while the socket is congested or too many replies wait for the disk. */
  private congested = false;
  private heldBack = false;
  private readonly decoder: FrameDecoder;
  /** Closes a connection that has not sent its ConnectRequest in time; cleared by it. */
  private handshakeTimer: NodeJS.Timeout | undefined;
  /** This connection's share of the host's partial-frame total. */
  private partialBytes = 0;

  constructor(private readonly socket: Socket, private readonly host: ConnectionHost) {
    this.remoteAddress = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    this.remotePort = socket.remotePort ?? 0;
    this.authInfo = [{ scheme: 'ip', id: this.remoteAddress }];
    this.decoder = new FrameDecoder(MAX_CONNECT_FRAME, (b, s, e) => this.onFrame(b, s, e), (v) => this.onFirstInt(v));
    this.handshakeTimer = setTimeout(() => this.close('no ConnectRequest in time'), host.sessionlessCnxnTimeout);
    this.handshakeTimer.unref();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', () => this.close('socket error'));
    socket.on('close', () => this.close('socket closed'));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get outstanding(): number {
    return this.socket.writableLength;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.socket.cork();
    try {
      this.decoder.push(chunk);
      this.countPartialFrame();
    } catch (e) {
      const why = e instanceof FrameError ? e.message : `unexpected: ${String(e)}`;
      this.host.logger.debug({ remote: this.remoteAddress, why }, 'closing connection on bad frame');
      this.close(why);
    } finally {
      this.socket.uncork();
    }
  }

  /** Reports what the decoder now holds of an incomplete frame; closes past the host's bound. */
  private countPartialFrame(): void {
    const held = this.decoder.pendingBytes;
    const delta = held - this.partialBytes;
    if (delta === 0) return;
    this.partialBytes = held;
    if (!this.host.holdPartialFrames(delta)) {
      this.host.logger.warn({ remote: this.remoteAddress, held }, 'incomplete frames of all connections over their bound; closing this one');
      this.close('incomplete frames over their bound');
    }
  }

  private onFirstInt(value: number): boolean {
    const word = fourLetterWordOf(value);
    if (!word) return false;
    this.closed = true;
    clearTimeout(this.handshakeTimer);
    this.socket.end(this.host.fourLetterWord(word));
    this.host.connectionClosed(this);
    return true;
  }

  private onFrame(buf: Buffer, start: number, end: number): boolean {
    if (this.closed) return false;
    this.received++;
    const r = new JuteReader(buf, start, end);
    if (!this.handshaken) {
      this.handshaken = true;
      clearTimeout(this.handshakeTimer);
      this.decoder.maxFrame = this.host.maxBuffer;
      if (!this.host.serving) {
        // As ZooKeeper's "ZooKeeperServer not running": the client tries another server.
        this.close('not serving: the ensemble has no leader this server follows');
        return false;
      }
      const req = connectRequest.decode(r);
      const readOnly = r.remaining >= 1 ? r.bool() : undefined;
      this.host.pipeline.connect(this, req, readOnly);
    } else {
      const h = requestHeader.decode(r);
      this.host.pipeline.request(this, h.xid, h.type, r);
    }
    return !this.closed;
  }

  send(frame: Buffer): boolean {
    if (this.closed) return false;
    this.sent++;
    // The first frame of a tick leaves at once, so a client starts on it while this tick goes
    // on (a watch event fanned out to many sessions reaches the first of them early). Frames
    // after it in the same tick, such as replies released together after a log flush, leave
    // in one writev at the end of the tick (or of the chunk being read, see onData).
    writeCoalesced(this.socket, frame, true);
    const queued = this.socket.writableLength;
    if (queued > MAX_OUTBOUND) {
      this.host.logger.warn({ remote: this.remoteAddress, queued }, 'client not reading; disconnecting');
      this.socket.destroy();
      this.close('outbound queue full');
    } else if (queued > HIGH_WATER && !this.congested) {
      this.congested = true;
      this.socket.pause();
    }
    return true;
  }

  private onDrain(): void {
    this.congested = false;
    this.updateReading();
  }

  pauseInput(paused: boolean): void {
    this.heldBack = paused;
    if (paused) this.socket.pause();
    else this.updateReading();
  }

  private updateReading(): void {
    if (!this.closed && !this.congested && !this.heldBack) this.socket.resume();
  }

  /** Drops the socket at once (server shutdown). */
  destroy(): void {
    this.close('destroyed');
    this.socket.destroy();
  }

  /** Flushes what was sent, then closes; idempotent. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.handshakeTimer);
    this.host.holdPartialFrames(-this.partialBytes);
    this.partialBytes = 0;
    this.host.logger.debug({ remote: this.remoteAddress, reason }, 'connection closed');
    this.socket.end();
    // A peer that never reads must not keep the socket half-open forever.
    setTimeout(() => this.socket.destroy(), 1000).unref();
    this.host.connectionClosed(this);
  }
}
