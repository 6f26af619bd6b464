import { EventEmitter } from 'node:events';
import { Pool } from 'undici';
import type { Clock, Logger, TimerHandle } from '@paddock/edges';
import type { Invocation } from '../../call/invocation.js';
import { RpcError } from '../../call/rpc-error.js';
import type { ResolvedTcpOptions } from '../tcp/tcp-options.js';
import { carriesReply, type CallTarget, type ClientEndpoint, type EndpointEvents, type EndpointState } from '../transport.js';
import { fromWireError, isWireError } from '../wire/wire-error.js';
import { TRACE_ID } from '../attachments.js';
import { FrameRefused } from '../wire/decode-cost.js';
import { reconnectDelay } from '../reconnect-delay.js';
import { HttpBodyCodec } from './http-body.js';
import { HEADER, JSON_TYPE, MSGPACK_TYPE, headerJson, mediaType, readAttachmentHeaders } from './http-protocol.js';

export interface HttpEndpointConfig {
  /** maxFrameBytes bounds bodies, maxInFlight calls in flight, connectTimeoutMs connects, reconnect* the backoff. */
  readonly tcp: ResolvedTcpOptions;
  /** Sockets of the pool; default HTTP_CONNECTIONS. */
  readonly connections?: number | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: () => number;
}

const PLAIN_HEADER_VALUE = /^[\x21-\x7e]{1,256}$/;

/** undici's error for an answer longer than maxResponseSize (our maxFrameBytes). */
const RESPONSE_TOO_LARGE = 'UND_ERR_RES_EXCEEDED_MAX_SIZE';

/** Errors of a request that never got a connection, so never reached the provider (a stopped provider refuses connects). */
const NOT_CONNECTED: ReadonlySet<string> = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * @internal Whether a failed request provably never reached the provider: a connect error of
 * a code above, or any error of the connect itself (a provider that closes its listener resets
 * the connections still in its accept queue, and Node reports `connect ECONNRESET` for one whose
 * handshake had not been seen to finish; nothing is written before it has).
 */
export function neverConnected(err: unknown): boolean {
  const { code, syscall } = err as { code?: unknown; syscall?: unknown };
  return syscall === 'connect' || NOT_CONNECTED.has(code as string);
}

/** Default sockets per provider origin; calls beyond them queue in the pool (bounded by maxInFlight). */
const HTTP_CONNECTIONS = 64;

/**
 * After a call's deadline the caller gets TIMEOUT at once, but its request is aborted (closing
 * the socket) only this much later: the provider, which sees the same deadline, answers
 * DEADLINE_EXCEEDED in between and the keep-alive socket stays usable.
 */
const ABORT_GRACE_MS = 1000;

/** One call in flight, so its timers need no closure. */
class HttpCall {
  readonly controller = new AbortController();
  timer: TimerHandle = null;
  fail: (err: RpcError) => void = noop;
  readonly expired = new Promise<never>((_, reject) => {
    this.fail = reject;
  });

  constructor(readonly endpoint: HttpEndpoint, readonly inv: Invocation, readonly timeoutMs: number) {}
}

function expire(call: HttpCall): void {
  call.fail(new RpcError('TIMEOUT', `${call.inv.service}.${call.inv.method} got no answer from ${call.endpoint.address} within ${call.timeoutMs} ms`, { provider: call.endpoint.address }));
  call.timer = call.endpoint.clock.setTimeout(abortRequest, ABORT_GRACE_MS, call);
}

function abortRequest(call: HttpCall): void {
  call.controller.abort();
}

function noop(): void {}

function retry(e: HttpEndpoint): void {
  e.reopen();
}

/**
 * A consumer's way to one http provider (`http://host:port`): an undici Pool, msgpack both
 * ways. HTTP has no connection state to watch, so the endpoint is open until a call cannot
 * connect (backoff, then open again) or an answer says the provider drains (x-rpc-draining,
 * http's GOAWAY: draining, then open again after reconnectMaxMs, so a restarted provider is
 * found again).
 */
export class HttpEndpoint extends EventEmitter<EndpointEvents> implements ClientEndpoint {
  private current: EndpointState = 'open';
  private pool: Pool;
  private readonly body: HttpBodyCodec;
  private inFlight = 0;
  private failures = 0;
  private timer: TimerHandle = null;

  /** `address` is `http://host:port`. */
  constructor(readonly address: string, private readonly config: HttpEndpointConfig) {
    super();
    this.body = new HttpBodyCodec(config.tcp.maxFrameBytes, config.tcp.maxDecodeRatio);
    this.pool = this.newPool();
  }

  private newPool(): Pool {
    const { connections, tcp } = this.config;
    // An answer is bound like a tcp frame: undici stops reading one longer than maxFrameBytes.
    return new Pool(new URL(this.address).origin, { connections: connections ?? HTTP_CONNECTIONS, connect: { timeout: tcp.connectTimeoutMs }, maxResponseSize: tcp.maxFrameBytes });
  }

  get state(): EndpointState {
    return this.current;
  }

  get available(): boolean {
    return this.current === 'open' && this.inFlight < this.config.tcp.maxInFlight;
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  async call(inv: Invocation, target: CallTarget): Promise<unknown> {
    if (this.current === 'closed') throw new RpcError('NETWORK', `the consumer closed its endpoint ${this.address}; ${inv.service}.${inv.method} was not sent`, { provider: this.address, notSent: true });
    if (this.inFlight >= this.config.tcp.maxInFlight) {
      throw this.error('PROVIDER_BUSY', `${this.inFlight} calls are in flight to ${this.address} (maxInFlight); ${inv.service}.${inv.method} was not sent`);
    }
    const remaining = inv.deadline - this.config.clock.now();
    if (remaining <= 0) throw this.timeout(inv, 0);
    const payload = this.body.encode(MSGPACK_TYPE, inv.args);
    const call = new HttpCall(this, inv, remaining);
    call.timer = this.config.clock.setTimeout(expire, remaining, call);
    this.inFlight++;
    const exchange = this.exchange(call, target, payload).finally(() => this.config.clock.clearTimeout(call.timer));
    try {
      return await Promise.race([exchange, call.expired]);
    } catch (err) {
      if (err instanceof RpcError) throw err;
      if ((err as { code?: unknown }).code === RESPONSE_TOO_LARGE) {
        throw this.error('FRAME_TOO_LARGE', `the answer of ${this.address} to ${inv.service}.${inv.method} is over maxFrameBytes (${this.config.tcp.maxFrameBytes}); it was not read`);
      }
      this.onUnreachable();
      throw new RpcError('NETWORK', `${inv.service}.${inv.method} to ${this.address} failed: ${(err as Error).message}`, { provider: this.address, notSent: neverConnected(err) });
    } finally {
      this.inFlight--;
      // Whichever lost the race settles later with nobody waiting.
      exchange.catch(noop);
      call.expired.catch(noop);
    }
  }

  /** @internal */
  get clock(): Clock {
    return this.config.clock;
  }

  close(): void {
    if (this.current === 'closed') return;
    this.setState('closed');
    this.config.clock.clearTimeout(this.timer);
    void this.pool.destroy(new Error(`the consumer closed its endpoint ${this.address}`)).catch(() => undefined);
  }

  /** @internal The backoff ended. */
  reopen(): void {
    if (this.current !== 'closed') this.setState('open');
  }

  private async exchange(call: HttpCall, target: CallTarget, payload: Buffer): Promise<unknown> {
    const { inv } = call;
    const headers: Record<string, string> = {
      'content-type': MSGPACK_TYPE,
      accept: MSGPACK_TYPE,
      [HEADER.VERSION]: target.version,
      [HEADER.GROUP]: target.group,
      [HEADER.DEADLINE]: String(inv.deadline),
      [HEADER.ATTACHMENTS]: headerJson(inv.attachments),
    };
    // Also in its own header for proxies and access logs; it travels in the JSON header anyway.
    const traceId = inv.attachments[TRACE_ID];
    if (traceId !== undefined && PLAIN_HEADER_VALUE.test(traceId)) headers[HEADER.TRACE_ID] = traceId;
    const res = await this.pool.request({
      method: 'POST',
      path: `/${encodeURIComponent(inv.service)}/${encodeURIComponent(inv.method)}`,
      headers,
      body: payload,
      signal: call.controller.signal,
    });
    const bytes = Buffer.from(await res.body.arrayBuffer());
    if (res.headers[HEADER.DRAINING] !== undefined) this.onDraining();
    const replyAttachments = readAttachmentHeaders(res.headers);
    if (typeof replyAttachments === 'object' && Object.keys(replyAttachments).length > 0 && carriesReply(inv)) inv.setReplyAttachments(replyAttachments);
    const type = mediaType(typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : undefined) ?? JSON_TYPE;
    let decoded: unknown;
    try {
      decoded = this.body.decode(type, bytes);
    } catch (err) {
      // Over maxDecodeRatio is a bound of ours (SERIALIZATION, as for tcp); bytes that do not decode are a malformed answer.
      const [code, what] = err instanceof FrameRefused ? ['SERIALIZATION', 'was refused before decoding'] as const : ['BAD_RESPONSE', 'cannot be decoded'] as const;
      throw this.error(code, `the answer of ${this.address} to ${inv.service}.${inv.method} (status ${res.statusCode}) ${what}: ${(err as Error).message}`);
    }
    this.failures = 0;
    if (res.statusCode === 200) return decoded;
    if (!isWireError(decoded)) throw this.error('BAD_RESPONSE', `${this.address} answered ${inv.service}.${inv.method} with status ${res.statusCode} and no RpcError`);
    throw fromWireError(decoded, this.address);
  }

  private onDraining(): void {
    if (this.current !== 'open') return;
    this.setState('draining');
    // The provider waits for its connections to close before it exits: close ours once their
    // calls are answered, rather than leave idle sockets for its keep-alive timeout to reap.
    const old = this.pool;
    this.pool = this.newPool();
    void old.close().catch(noop);
    this.timer = this.config.clock.setTimeout(retry, this.config.tcp.reconnectMaxMs, this);
  }

  private onUnreachable(): void {
    if (this.current !== 'open') return;
    const delay = reconnectDelay(this.config.tcp, this.failures++, this.config.random);
    this.config.logger.debug({ provider: this.address, delay }, 'rpc: http provider unreachable');
    this.setState('backoff');
    this.timer = this.config.clock.setTimeout(retry, delay, this);
  }

  private error(code: 'PROVIDER_BUSY' | 'SERIALIZATION' | 'BAD_RESPONSE' | 'FRAME_TOO_LARGE', message: string): RpcError {
    return new RpcError(code, message, { provider: this.address });
  }

  private timeout(inv: Invocation, ms: number): RpcError {
    return new RpcError('TIMEOUT', `${inv.service}.${inv.method} got no answer from ${this.address} within ${ms} ms`, { provider: this.address });
  }

  private setState(state: EndpointState): void {
    if (this.current === state) return;
    this.current = state;
    this.emit('state', state);
  }
}
