import type { Clock, TimerHandle } from '@paddock/edges';
import { RpcError } from '../call/rpc-error.js';
import { runServing, servedCall, type ServedCall } from '../call/served-call.js';
import { MAX_ATTACHMENTS, TRACE_ID, type Attachments } from '../transport/attachments.js';
import type { Abortable, IncomingCall } from '../transport/transport.js';

type AnyMethod = (...args: unknown[]) => unknown;

/**
 * The call a provider method is serving, available inside it (and everything it awaits) as
 * `RpcContext.current()`: the deadline, a signal that aborts at the deadline or when the
 * consumer goes away, the attachments that came with the call, attachments to send back,
 * and the trace id. Calls the method makes to other services inherit the trace id and the
 * deadline. The signal costs nothing until the method asks for it.
 */
export class RpcContext implements Abortable, ServedCall {
  private controller: AbortController | null = null;
  private timer: TimerHandle = null;
  private reply: Record<string, string> | null = null;
  private replyCount = 0;
  private abortedBy: Error | null = null;
  private done = false;

  /** @internal */
  constructor(private readonly call: IncomingCall, readonly version: string, readonly group: string, private readonly clock: Clock) {}

  /** The context of the call being served, or undefined outside of one. */
  static current(): RpcContext | undefined {
    const call = servedCall();
    return call instanceof RpcContext ? call : undefined;
  }

  /** @internal Runs a provider method with this context current. */
  static run(ctx: RpcContext, fn: AnyMethod, self: object, args: unknown[]): unknown {
    return runServing(ctx, fn, self, args);
  }

  get service(): string {
    return this.call.service;
  }

  get method(): string {
    return this.call.method;
  }

  /** When the consumer gives up, in ms since the epoch. */
  get deadline(): number {
    return this.call.deadline;
  }

  get remainingMs(): number {
    return Math.max(0, this.call.deadline - this.clock.now());
  }

  /** The attachments that came with the call. */
  get attachments(): Attachments {
    return this.call.attachments;
  }

  get traceId(): string {
    return this.call.attachments[TRACE_ID] ?? '';
  }

  /** host:port of the consumer. */
  get remoteAddress(): string {
    return this.call.remoteAddress;
  }

  /** Aborts at the deadline (reason: RpcError DEADLINE_EXCEEDED) or when the consumer's connection goes. */
  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.abortedBy !== null) this.controller.abort(this.abortedBy);
      else if (!this.done) this.timer = this.clock.setTimeout(abortAtDeadline, this.call.deadline - this.clock.now(), this);
    }
    return this.controller.signal;
  }

  /** Adds an attachment to the reply (sent with the result or the error). */
  setAttachment(key: string, value: string): void {
    if (typeof key !== 'string' || typeof value !== 'string') throw new TypeError('attachment keys and values must be strings');
    this.reply ??= {};
    if (!(key in this.reply) && ++this.replyCount > MAX_ATTACHMENTS) throw new TypeError(`a reply carries at most ${MAX_ATTACHMENTS} attachments`);
    this.reply[key] = value;
  }

  /** @internal */
  get replyAttachments(): Attachments | null {
    return this.reply;
  }

  /** @internal Abortable: the connection went, or the deadline passed. */
  abort(reason: Error): void {
    if (this.abortedBy !== null) return;
    this.abortedBy = reason;
    this.clock.clearTimeout(this.timer);
    this.controller?.abort(reason);
  }

  /** @internal The method returned or threw. */
  finish(): void {
    this.done = true;
    this.clock.clearTimeout(this.timer);
  }
}

function abortAtDeadline(ctx: RpcContext): void {
  ctx.abort(new RpcError('DEADLINE_EXCEEDED', `the deadline of ${ctx.service}.${ctx.method} passed`));
}
