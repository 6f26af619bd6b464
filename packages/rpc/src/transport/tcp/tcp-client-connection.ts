import type { Socket } from 'node:net';
import type { Clock, Logger, TimerHandle } from '@paddock/edges';
import type { Invocation } from '../../call/invocation.js';
import { RpcError } from '../../call/rpc-error.js';
import { EMPTY_ATTACHMENTS } from '../attachments.js';
import { carriesReply, type CallTarget } from '../transport.js';
import { fromWireError, isWireError, type WireError } from '../wire/wire-error.js';
import type { Heartbeat } from '../heartbeat.js';
import { IdTable } from './id-table.js';
import { TcpConnection } from './tcp-connection.js';
import type { ResolvedTcpOptions } from './tcp-options.js';
import { GOAWAY_ACK_FRAME, KIND, PONG_FRAME, isId, readAttachments, writeAttachments, type MessageHead } from './tcp-protocol.js';

/** One call waiting for its response; a class so every pending call has the same shape. */
class PendingCall {
  resolve: (value: unknown) => void = noop;
  reject: (err: RpcError) => void = noop;

  constructor(readonly id: number, readonly inv: Invocation, readonly timeoutMs: number) {}
}

/**
 * The consumer's end of a connection: numbers calls, sends them pipelined, matches responses
 * (in any order) by id, times calls out at their deadline and fails them all when the
 * connection goes. After the provider's GOAWAY it takes no new calls and says so with
 * GOAWAY_ACK, so the provider knows every request of this connection has arrived.
 *
 * Deadlines share one timer per connection, not one per call: it is set for the earliest
 * deadline it knows of, and when it fires it times out every call whose deadline has passed
 * and sets itself for the earliest one left. Calls usually finish long before their deadline,
 * so the timer rarely fires, and a call costs no timer of its own; a firing looks at each call
 * in flight once (at most maxInFlight).
 */
export class TcpClientConnection extends TcpConnection {
  private readonly pending = new IdTable<PendingCall>();
  private nextId = 0;
  private goaway = false;
  private timer: TimerHandle = null;
  /** When the timer fires (ms since the epoch); meaningful only while it is set. */
  private timerAt = 0;
  protected readonly malformed = 'BAD_RESPONSE';

  constructor(
    socket: Socket,
    opts: ResolvedTcpOptions,
    heartbeat: Heartbeat,
    logger: Logger,
    private readonly clock: Clock,
    /** The address as configured (host:port), named in errors. */
    readonly address: string,
    private readonly onGoaway: () => void,
  ) {
    super(socket, opts, heartbeat, logger, null);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** The provider asked for no new calls here. */
  get draining(): boolean {
    return this.goaway;
  }

  /** Whether a call sent now would be accepted by this end. */
  get accepting(): boolean {
    return !this.closed && !this.goaway && this.pending.size < this.opts.maxInFlight;
  }

  call(inv: Invocation, target: CallTarget): Promise<unknown> {
    const refused = this.refusal(inv);
    if (refused !== null) return Promise.reject(refused);
    const remaining = inv.deadline - this.clock.now();
    if (remaining <= 0) return Promise.reject(this.timeout(inv, 0));
    const id = this.takeId();
    let frame: Buffer;
    try {
      frame = this.codec.encode([KIND.REQUEST, id, inv.service, target.version, target.group, inv.method, inv.args, writeAttachments(inv.attachments), inv.deadline]);
    } catch (err) {
      return Promise.reject(err);
    }
    const call = new PendingCall(id, inv, remaining);
    const promise = new Promise<unknown>((resolve, reject) => {
      call.resolve = resolve;
      call.reject = reject;
    });
    this.pending.add(call);
    if (this.timer === null || inv.deadline < this.timerAt) this.setTimer(inv.deadline);
    this.write(frame);
    return promise;
  }

  /** @internal The timer fired: time out the calls whose deadline passed, then wait for the earliest left. */
  expireDue(): void {
    this.timer = null;
    const now = this.clock.now();
    let earliest = Infinity;
    for (const call of this.pending.values()) {
      if (call.inv.deadline <= now) {
        this.pending.delete(call.id);
        call.reject(this.timeout(call.inv, call.timeoutMs));
      } else if (call.inv.deadline < earliest) {
        earliest = call.inv.deadline;
      }
    }
    if (earliest !== Infinity && !this.closed) this.setTimer(earliest);
  }

  protected onMessage(m: unknown[]): void {
    switch (m[0]) {
      case KIND.RESULT: return this.settle(m, true);
      case KIND.ERROR: return this.settle(m, false);
      case KIND.PING: return this.write(PONG_FRAME);
      case KIND.PONG: return;
      case KIND.GOAWAY: return this.startDraining();
      default: this.destroy(new RpcError('BAD_RESPONSE', `unexpected message kind ${String(m[0])} from provider ${this.address}`));
    }
  }

  protected onClosed(reason: RpcError): void {
    const message = `${reason.message} (${this.address})`;
    this.clock.clearTimeout(this.timer);
    this.timer = null;
    const calls = this.pending.values();
    this.pending.clear();
    const details = reason.details.notSent === true ? { provider: this.address, notSent: true } : { provider: this.address };
    for (const call of calls) call.reject(new RpcError(reason.code, message, details));
  }

  /**
   * An answer refused before decoding fails its call with SERIALIZATION (the method may have
   * run); one for a call nobody waits for any more is dropped, as settle drops it. A frame
   * without a readable kind and id closes the connection.
   */
  protected onRefusedFrame(head: MessageHead | null, why: string): void {
    if (head === null || (head.kind !== KIND.RESULT && head.kind !== KIND.ERROR)) {
      this.destroy(new RpcError('BAD_RESPONSE', `a frame from provider ${this.address} was refused before decoding: ${why}`));
      return;
    }
    const call = this.pending.delete(head.id);
    const what = call === undefined ? `the answer to call ${head.id}` : `the answer to ${call.inv.service}.${call.inv.method}`;
    const message = `${what} from provider ${this.address} was refused before decoding: ${why}`;
    this.logger.warn({ provider: this.address, id: head.id }, message);
    call?.reject(new RpcError('SERIALIZATION', message, { provider: this.address }));
  }

  private settle(m: unknown[], ok: boolean): void {
    const id = m[1];
    const attachments = readAttachments(m[3]);
    if (!isId(id) || m.length !== 4 || attachments === null || (!ok && !isWireError(m[2]))) {
      this.destroy(new RpcError('BAD_RESPONSE', `malformed response from provider ${this.address}`));
      return;
    }
    // Undefined: the answer to a call that already timed out; nothing waits for it any more.
    // The deadline timer stays set: it finds nothing of this call when it fires.
    const call = this.pending.delete(id);
    if (call === undefined) return;
    if (attachments !== EMPTY_ATTACHMENTS && carriesReply(call.inv)) call.inv.setReplyAttachments(attachments);
    if (ok) call.resolve(m[2]);
    else call.reject(fromWireError(m[2] as WireError, this.address));
  }

  private startDraining(): void {
    if (this.goaway) return;
    this.goaway = true;
    this.write(GOAWAY_ACK_FRAME);
    this.onGoaway();
  }

  /** Why this end refuses a call before sending it (none of these executed anything). */
  private refusal(inv: Invocation): RpcError | null {
    if (this.closed) return new RpcError('NETWORK', `the connection to ${this.address} is closed; ${inv.service}.${inv.method} was not sent`, { provider: this.address, notSent: true });
    if (this.goaway) return new RpcError('SHUTTING_DOWN', `provider ${this.address} is shutting down; ${inv.service}.${inv.method} was not sent`, { provider: this.address });
    if (this.pending.size >= this.opts.maxInFlight) {
      return new RpcError('PROVIDER_BUSY', `${this.pending.size} calls are in flight on the connection to ${this.address} (maxInFlight); ${inv.service}.${inv.method} was not sent`, { provider: this.address });
    }
    return null;
  }

  private timeout(inv: Invocation, ms: number): RpcError {
    return new RpcError('TIMEOUT', `${inv.service}.${inv.method} got no answer from ${this.address} within ${ms} ms`, { provider: this.address });
  }

  private setTimer(at: number): void {
    this.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimeout(expireDue, at - this.clock.now(), this);
  }

  private takeId(): number {
    do this.nextId = (this.nextId + 1) >>> 0;
    while (this.pending.has(this.nextId));
    return this.nextId;
  }
}

function expireDue(conn: TcpClientConnection): void {
  conn.expireDue();
}

function noop(): void {}
