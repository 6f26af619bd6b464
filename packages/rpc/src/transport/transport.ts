import type { EventEmitter } from 'node:events';
import type { Invocation } from '../call/invocation.js';
import type { Attachments } from './attachments.js';
import type { WireError } from './wire/wire-error.js';

/**
 * The seams between transports (tcp, http) and the provider/consumer above them. A transport
 * moves calls; it knows nothing of services, versions or load balancing. Which transports there
 * are is table/transport-table.ts.
 */

/** What a consumer asks for besides the invocation: the provider's version and group specs. */
export interface CallTarget {
  readonly version: string;
  readonly group: string;
}

/** An invocation that wants the provider's reply attachments handed back. */
export interface ReplyCarrier {
  setReplyAttachments(attachments: Attachments): void;
}

export function carriesReply(inv: Invocation): inv is Invocation & ReplyCarrier {
  return typeof (inv as Partial<ReplyCarrier>).setReplyAttachments === 'function';
}

/** Told when a call's connection goes before the call is done (the provider aborts its signal). */
export interface Abortable {
  abort(reason: Error): void;
}

/** What a request says, whatever transport carried it. */
interface CallFields {
  readonly service: string;
  readonly version: string;
  readonly group: string;
  readonly method: string;
  readonly args: unknown[];
  readonly attachments: Attachments;
  readonly deadline: number;
}

/** One call as a provider receives it from any transport. */
export interface IncomingCall extends CallFields {
  /** host:port of the consumer's end. */
  readonly remoteAddress: string;
  /** Set by the provider while the call runs. */
  abortable: Abortable | null;
  /** Sends the result (once; later answers are dropped). */
  respond(result: unknown, attachments: Attachments | null): void;
  /** Sends an error (once). */
  fail(error: WireError, attachments: Attachments | null): void;
}

export interface CallHandler {
  handle(call: IncomingCall): void;
}

export interface ServerTransport {
  /** The port bound (useful with port 0). */
  readonly port: number;
  readonly connectionCount: number;
  listen(handler: CallHandler): Promise<void>;
  /**
   * Stops accepting connections and asks every consumer to send no new calls; resolves once
   * every connection has no call in flight and its consumer acknowledged, and is closed.
   */
  drain(): Promise<void>;
  /** Closes everything now; calls in flight get no answer. */
  close(): Promise<void>;
}

/** Where a consumer's connection to one address stands. */
export type EndpointState = 'connecting' | 'open' | 'draining' | 'backoff' | 'closed';

export interface EndpointEvents {
  state: [state: EndpointState];
}

/** A consumer's way to one provider address, shared by every reference of a client. */
export interface ClientEndpoint extends EventEmitter<EndpointEvents> {
  readonly address: string;
  readonly state: EndpointState;
  /** Open, not draining, below its in-flight bound. */
  readonly available: boolean;
  call(inv: Invocation, target: CallTarget): Promise<unknown>;
  /** Resolves once the first connect attempt has succeeded or failed. */
  ready(): Promise<void>;
  close(): void;
}

/** Where a provider listens, as a consumer's transport is handed it: parsed once, never a string again. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** A transport's consumer side, one per client and transport (what its endpoints share lives here, e.g. tcp's heartbeat). */
export interface ClientTransport {
  /** A new endpoint to the provider at `at`, which names itself `address` (its transport's address form) in errors and logs. */
  endpoint(address: string, at: HostPort): ClientEndpoint;
}
