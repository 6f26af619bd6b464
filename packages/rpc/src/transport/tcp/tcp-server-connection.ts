import type { Socket } from 'node:net';
import type { Logger } from '@paddock/edges';
import { RpcError } from '../../call/rpc-error.js';
import type { Attachments } from '../attachments.js';
import type { ByteBudget } from '../byte-budget.js';
import type { Abortable, CallHandler, IncomingCall } from '../transport.js';
import { toWireError, type WireError } from '../wire/wire-error.js';
import type { Heartbeat } from '../heartbeat.js';
import { IdTable } from './id-table.js';
import { TcpConnection } from './tcp-connection.js';
import type { ResolvedTcpOptions } from './tcp-options.js';
import {
  ATTACHMENTS_RULE, GOAWAY_FRAME, KIND, PONG_FRAME, checkRequest, isId, readAttachments, writeAttachments, type MessageHead,
} from './tcp-protocol.js';

/** A request received on a connection, until it is answered. */
class TcpIncomingCall implements IncomingCall {
  abortable: Abortable | null = null;
  done = false;

  constructor(
    readonly conn: TcpServerConnection,
    readonly id: number,
    readonly service: string,
    readonly version: string,
    readonly group: string,
    readonly method: string,
    readonly args: unknown[],
    readonly attachments: Attachments,
    readonly deadline: number,
  ) {}

  get remoteAddress(): string {
    return this.conn.remoteAddress;
  }

  respond(result: unknown, attachments: Attachments | null): void {
    if (this.done) return;
    this.done = true;
    this.conn.answer(this, [KIND.RESULT, this.id, result, writeAttachments(attachments)]);
  }

  fail(error: WireError, attachments: Attachments | null): void {
    if (this.done) return;
    this.done = true;
    this.conn.answer(this, [KIND.ERROR, this.id, error, writeAttachments(attachments)]);
  }
}

/**
 * The provider's end of a connection: checks each request, bounds the calls in flight, hands
 * calls to the handler and writes their answers. Draining, it sends GOAWAY: requests the
 * consumer sent before it saw it are served (they were in flight), anything after the
 * consumer's GOAWAY_ACK is refused with SHUTTING_DOWN, and the connection closes once it is
 * acknowledged and the last call is answered.
 */
export class TcpServerConnection extends TcpConnection {
  private readonly inFlight = new IdTable<TcpIncomingCall>();
  private goawaySent = false;
  private goawayAcked = false;
  /** Not reading requests until the answers waiting to be sent drain (see holdBack). */
  private held = false;
  protected readonly malformed = 'BAD_REQUEST';

  constructor(
    socket: Socket,
    opts: ResolvedTcpOptions,
    heartbeat: Heartbeat,
    logger: Logger,
    private readonly handler: CallHandler,
    private readonly exposeStack: boolean,
    budget: ByteBudget,
  ) {
    super(socket, opts, heartbeat, logger, budget);
  }

  get callsInFlight(): number {
    return this.inFlight.size;
  }

  /** Whether requests wait unread because the consumer has not taken its answers. */
  get heldBack(): boolean {
    return this.held;
  }

  /** Asks the consumer for no new calls; the connection closes once it is acknowledged and idle. */
  drain(): void {
    if (this.goawaySent || this.closed) return;
    this.goawaySent = true;
    this.write(GOAWAY_FRAME);
  }

  /** @internal Writes an answer; an answer too large or not encodable becomes an error answer. */
  answer(call: TcpIncomingCall, message: unknown[]): void {
    if (this.inFlight.get(call.id) === call) this.inFlight.delete(call.id);
    if (this.closed) return;
    try {
      this.send(message);
    } catch (err) {
      this.send([KIND.ERROR, call.id, toWireError(err, this.exposeStack), null]);
    }
    this.holdBack();
    this.closeIfDrained();
  }

  /**
   * A consumer that sends requests but does not read the answers would have them pile up in
   * this process: once more than maxFrameBytes of them wait to be sent, no more requests are
   * read (TCP pushes back on the consumer) until they have drained. Meanwhile nothing is read,
   * so a consumer that never reads again is closed by the heartbeat.
   */
  private holdBack(): void {
    // Over the socket's high-water mark too, so a write has said so and 'drain' will come.
    if (this.held || this.socket.writableLength <= Math.max(this.opts.maxFrameBytes, this.socket.writableHighWaterMark)) return;
    this.held = true;
    this.socket.pause();
    this.socket.once('drain', () => {
      this.held = false;
      if (!this.closed) this.socket.resume();
    });
  }

  protected onMessage(m: unknown[]): void {
    switch (m[0]) {
      case KIND.REQUEST: return this.onRequest(m);
      case KIND.PING: return this.write(PONG_FRAME);
      case KIND.PONG: return;
      case KIND.GOAWAY_ACK: return this.onGoawayAck();
      default: this.destroy(new RpcError('BAD_REQUEST', `unexpected message kind ${String(m[0])} from consumer ${this.remoteAddress}`));
    }
  }

  /** A request refused before decoding is answered BAD_REQUEST (never run); anything else refused closes the connection. */
  protected onRefusedFrame(head: MessageHead | null, why: string): void {
    if (head === null || head.kind !== KIND.REQUEST) {
      this.destroy(new RpcError('BAD_REQUEST', `a frame from ${this.remoteAddress} was refused before decoding: ${why}`));
      return;
    }
    const message = `request ${head.id} was refused before decoding and not run: ${why}`;
    this.logger.warn({ peer: this.remoteAddress, id: head.id }, message);
    this.refuse(head.id, 'BAD_REQUEST', message);
  }

  protected onClosed(reason: RpcError): void {
    const calls = this.inFlight.values();
    this.inFlight.clear();
    for (const call of calls) {
      call.done = true;
      call.abortable?.abort(new RpcError(reason.code, `the consumer's connection closed: ${reason.message}`));
    }
  }

  private onRequest(m: unknown[]): void {
    const id = m[1];
    if (!isId(id)) {
      this.destroy(new RpcError('BAD_REQUEST', `malformed request from ${this.remoteAddress}: bad id`));
      return;
    }
    const problem = checkRequest(m);
    if (problem !== null) return this.refuse(id, 'BAD_REQUEST', `bad request ${id}: ${problem}`);
    const attachments = readAttachments(m[7]);
    if (attachments === null) return this.refuse(id, 'BAD_REQUEST', `bad request ${id}: ${ATTACHMENTS_RULE}`);
    // The consumer promised no more; whatever it sends anyway is refused, not run.
    if (this.goawayAcked) return this.refuse(id, 'SHUTTING_DOWN', `the provider is shutting down; request ${id} came after GOAWAY_ACK and was not run`);
    if (this.inFlight.has(id)) return this.refuse(id, 'BAD_REQUEST', `request id ${id} is already in flight on this connection`);
    if (this.inFlight.size >= this.opts.maxInFlight) {
      return this.refuse(id, 'PROVIDER_BUSY', `${this.inFlight.size} calls are in flight on this connection (maxInFlight ${this.opts.maxInFlight})`);
    }
    const call = new TcpIncomingCall(
      this, id, m[2] as string, m[3] as string, m[4] as string, m[5] as string, m[6] as unknown[],
      attachments, m[8] as number,
    );
    this.inFlight.add(call);
    this.handler.handle(call);
  }

  private refuse(id: number, code: 'BAD_REQUEST' | 'PROVIDER_BUSY' | 'SHUTTING_DOWN', message: string): void {
    this.send([KIND.ERROR, id, { code, name: 'RpcError', message }, null]);
  }

  private onGoawayAck(): void {
    this.goawayAcked = true;
    this.closeIfDrained();
  }

  private closeIfDrained(): void {
    if (this.goawayAcked && this.inFlight.size === 0) this.end(new RpcError('SHUTTING_DOWN', 'drained'));
  }
}
