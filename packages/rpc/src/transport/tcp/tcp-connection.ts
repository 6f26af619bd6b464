import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { writeCoalesced, type Logger } from '@paddock/edges';
import { RpcError, type RpcErrorCode } from '../../call/rpc-error.js';
import type { ByteBudget } from '../byte-budget.js';
import { FrameCodec } from '../wire/frame-codec.js';
import { FrameRefused } from '../wire/decode-cost.js';
import { FrameDecoder, type FrameSink } from './frame-decoder.js';
import type { Beating, Heartbeat } from '../heartbeat.js';
import type { ResolvedTcpOptions } from './tcp-options.js';
import { PING_FRAME, PREFACE, PREFACE_BYTES, checkPreface, peekMessageHead, type MessageHead } from './tcp-protocol.js';

/** Close reasons that say the peer broke a rule or a bound: logged as warnings; others (a peer gone, a shutdown) are routine. */
const WARN_CODES: ReadonlySet<RpcErrorCode> = new Set(['BAD_REQUEST', 'BAD_RESPONSE', 'FRAME_TOO_LARGE', 'PROVIDER_BUSY']);

export interface ConnectionEvents {
  /** Once, when the connection is gone; the reason says why (NETWORK, FRAME_TOO_LARGE, BAD_REQUEST, BAD_RESPONSE...). */
  close: [reason: RpcError];
}

/**
 * What both ends of a tcp connection share: framing, corked writes, heartbeats and closing.
 * Subclasses handle the messages (`onMessage`) and what closing means for their calls.
 *
 * Writes are corked from the first frame of a tick until the next tick, so the frames a tick
 * produces leave in one writev. A malformed or oversized frame closes this connection only; a
 * frame refused before decoding (../wire/decode-cost.ts) goes to `onRefusedFrame`, which answers its call
 * when its id can be read.
 */
export abstract class TcpConnection extends EventEmitter<ConnectionEvents> implements FrameSink, Beating {
  readonly remoteAddress: string;
  protected readonly codec: FrameCodec;
  private readonly decoder: FrameDecoder;
  private readSinceTick = true;
  private missed = 0;
  private closeReason: RpcError | null = null;
  /** The peer's preface as far as it has come; null once checked. */
  private preface: Buffer | null = Buffer.alloc(0);
  /** Counters for tests and stats. */
  pingsSent = 0;
  framesRead = 0;
  /**
   * What a frame from the peer that does not decode, or is not a message, is: a malformed
   * request (the provider's end: nothing ran) or a malformed response (the consumer's end: the
   * call went out and may have run).
   */
  protected abstract readonly malformed: 'BAD_REQUEST' | 'BAD_RESPONSE';

  constructor(
    protected readonly socket: Socket,
    protected readonly opts: ResolvedTcpOptions,
    private readonly heartbeat: Heartbeat,
    protected readonly logger: Logger,
    /** Shared by a provider's connections: bytes of incomplete frames; null: unbounded (a consumer's own connections). */
    budget: ByteBudget | null,
  ) {
    super();
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.codec = new FrameCodec(opts.maxFrameBytes, opts.maxDecodeRatio);
    this.decoder = new FrameDecoder(opts.maxFrameBytes, this, budget);
    socket.write(PREFACE);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: Error) => this.destroy(new RpcError('NETWORK', `connection ${this.remoteAddress}: ${err.message}`)));
    socket.on('close', () => this.finish(new RpcError('NETWORK', `connection ${this.remoteAddress} closed by the peer`)));
    heartbeat.add(this);
  }

  get closed(): boolean {
    return this.closeReason !== null;
  }

  /** Encodes and queues one message; throws RpcError (SERIALIZATION, FRAME_TOO_LARGE) without writing. */
  send(message: readonly unknown[]): void {
    this.write(this.codec.encode(message));
  }

  /** Queues an encoded frame. */
  protected write(frame: Buffer): void {
    if (this.closeReason !== null) return;
    writeCoalesced(this.socket, frame);
  }

  /** @internal FrameSink */
  onFrame(body: Buffer): void {
    this.readSinceTick = true;
    this.framesRead++;
    let message: unknown;
    try {
      message = this.codec.decode(body);
    } catch (err) {
      if (err instanceof FrameRefused) {
        this.onRefusedFrame(peekMessageHead(body), err.message);
        return;
      }
      this.destroy(new RpcError(this.malformed, `malformed frame from ${this.remoteAddress}: ${(err as Error).message}`));
      return;
    }
    if (!Array.isArray(message) || typeof message[0] !== 'number') {
      this.destroy(new RpcError(this.malformed, `malformed frame from ${this.remoteAddress}: not a message array`));
      return;
    }
    this.onMessage(message);
  }

  /** @internal Beating: ping after a quiet interval, give up after `misses` quiet intervals in a row. */
  heartbeatTick(misses: number): void {
    if (this.readSinceTick) {
      this.readSinceTick = false;
      this.missed = 0;
      return;
    }
    if (++this.missed >= misses) {
      this.destroy(new RpcError('NETWORK', `connection ${this.remoteAddress} is dead: nothing read for ${misses} heartbeat intervals of ${this.heartbeat.intervalMs} ms`));
      return;
    }
    this.pingsSent++;
    this.write(PING_FRAME);
  }

  /** Closes at once; pending work fails with `reason`. */
  destroy(reason: RpcError): void {
    if (this.closeReason !== null) return;
    // A peer that breaks the protocol is worth a warning; a dead or closing one is routine.
    const fields = { peer: this.remoteAddress, code: reason.code };
    if (WARN_CODES.has(reason.code)) this.logger.warn(fields, reason.message);
    else this.logger.debug(fields, reason.message);
    this.finish(reason);
    this.socket.destroy();
  }

  /** Closes after the queued frames are written. */
  end(reason: RpcError): void {
    if (this.closeReason !== null) return;
    this.finish(reason);
    // end() sends what the tick's cork holds first.
    this.socket.end();
  }

  protected abstract onMessage(message: unknown[]): void;
  /** A frame was refused before decoding (`why`); `head` is its kind and id when they can be read. */
  protected abstract onRefusedFrame(head: MessageHead | null, why: string): void;
  protected abstract onClosed(reason: RpcError): void;

  private onData(chunk: Buffer): void {
    if (this.preface !== null) {
      const rest = this.readPreface(chunk);
      if (rest === null || rest.length === 0) return;
      chunk = rest;
    }
    try {
      this.decoder.push(chunk);
    } catch (err) {
      this.destroy(err instanceof RpcError ? err : new RpcError(this.malformed, String(err)));
    }
  }

  /**
   * Takes the peer's preface from the front of `chunk`; the bytes after it, or null while it is
   * incomplete or was refused. A refused peer has read nothing of ours but the preface, so
   * nothing sent on this connection ran: the calls may go to another provider.
   */
  private readPreface(chunk: Buffer): Buffer | null {
    const have = this.preface as Buffer;
    const got = Buffer.concat([have, chunk.subarray(0, PREFACE_BYTES - have.length)]);
    if (got.length < PREFACE_BYTES) {
      this.preface = got;
      return null;
    }
    this.preface = null;
    const wrong = checkPreface(got, this.remoteAddress);
    if (wrong !== null) {
      this.logger.warn({ peer: this.remoteAddress }, wrong);
      this.destroy(new RpcError('NETWORK', wrong, { notSent: true }));
      return null;
    }
    return chunk.subarray(PREFACE_BYTES - have.length);
  }

  private finish(reason: RpcError): void {
    if (this.closeReason !== null) return;
    this.closeReason = reason;
    this.decoder.stop();
    this.heartbeat.delete(this);
    this.onClosed(reason);
    this.emit('close', reason);
  }
}
