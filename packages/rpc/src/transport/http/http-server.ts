import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Server as NetServer } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Clock, Logger } from '@paddock/edges';
import { RpcError } from '../../call/rpc-error.js';
import type { Attachments } from '../attachments.js';
import { ByteBudget } from '../byte-budget.js';
import { limitConnections } from '../connection-limit.js';
import type { ResolvedTcpOptions } from '../tcp/tcp-options.js';
import type { Abortable, CallHandler, IncomingCall, ServerTransport } from '../transport.js';
import { toWireError, type WireError } from '../wire/wire-error.js';
import { BodyReader } from './body-reader.js';
import { HttpBodyCodec, type BodyType } from './http-body.js';
import { HEADER, JSON_TYPE, headerJson, headerOrQuery, mediaType, readAttachmentHeaders, readDeadline, statusOf } from './http-protocol.js';

export interface HttpServerConfig {
  readonly host: string;
  readonly port: number;
  /** maxFrameBytes bounds bodies both ways, maxDecodeRatio what decoding one may cost; maxInFlight bounds requests being served, maxConnections connections, maxBufferedBytes the bodies being read. */
  readonly tcp: ResolvedTcpOptions;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly exposeStack: boolean;
  /** Idle keep-alive connections close after this long; default HTTP_KEEP_ALIVE_MS. */
  readonly keepAliveMs?: number | undefined;
}

const MAX_NAME = 255;

/**
 * Idle keep-alive connections close after this long; answers say so (`keep-alive: timeout=5`),
 * and a consumer that honours it (undici does, with a margin) stops reusing a connection before
 * the provider closes it, so a request never meets a connection closing under it.
 */
const HTTP_KEEP_ALIVE_MS = 5000;

/**
 * Draining keeps accepting until no connection has arrived for this long (at most
 * DRAIN_ACCEPT_MAX_MS), then closes the listener. Closing it at once would reset the
 * connections the kernel had already taken into its accept queue, after a consumer may have
 * written a request on one: it could not tell that call from one that ran. Accepted, such a
 * request is answered SHUTTING_DOWN (never run) and the consumer sends no more.
 */
const DRAIN_QUIET_MS = 100;
const DRAIN_ACCEPT_MAX_MS = 1000;

/** One request being served, until it is answered. */
class HttpIncomingCall implements IncomingCall {
  abortable: Abortable | null = null;
  done = false;

  constructor(
    private readonly server: HttpServerTransport,
    readonly reply: FastifyReply,
    readonly type: BodyType,
    readonly service: string,
    readonly version: string,
    readonly group: string,
    readonly method: string,
    readonly args: unknown[],
    readonly attachments: Attachments,
    readonly deadline: number,
    readonly remoteAddress: string,
  ) {}

  respond(result: unknown, attachments: Attachments | null): void {
    if (this.done) return;
    this.done = true;
    this.server.answer(this, result, attachments);
  }

  fail(error: WireError, attachments: Attachments | null): void {
    if (this.done) return;
    this.done = true;
    this.server.sendError(this.reply, error, attachments);
  }
}

/**
 * The provider's http listener (fastify): `POST /<service>/<method>` becomes an IncomingCall
 * (see http-protocol.ts for the headers). Draining: requests arriving from then on, on new
 * connections or open ones, are refused with SHUTTING_DOWN (503, never run) and `connection:
 * close`, and once new connections stop coming the listener closes (a consumer's connect is
 * then refused: provably never run, see DRAIN_QUIET_MS); requests in flight finish
 * and their answers carry x-rpc-draining (consumers send no more) and `connection: close`.
 * Idle keep-alive connections are not cut, since a request may be on
 * its way on one (HTTP/1.1 cannot tell it was never run): the drain ends when consumers have
 * closed them or the keep-alive timeout has reaped them.
 */
export class HttpServerTransport implements ServerTransport {
  private readonly app: FastifyInstance;
  private readonly body: HttpBodyCodec;
  /** Bytes of request bodies being read (maxBufferedBytes). */
  private readonly budget: ByteBudget;
  private readonly inFlight = new Set<HttpIncomingCall>();
  private handler: CallHandler | null = null;
  private boundPort = 0;
  private draining = false;
  private closing: Promise<void> | null = null;
  private drained: Promise<void> | null = null;

  constructor(private readonly config: HttpServerConfig) {
    this.body = new HttpBodyCodec(config.tcp.maxFrameBytes, config.tcp.maxDecodeRatio);
    this.budget = new ByteBudget(config.tcp.maxBufferedBytes);
    const bodies = new BodyReader(config.tcp.maxFrameBytes, this.budget);
    this.app = Fastify({ logger: false, bodyLimit: config.tcp.maxFrameBytes, return503OnClosing: false, forceCloseConnections: 'idle', keepAliveTimeout: config.keepAliveMs ?? HTTP_KEEP_ALIVE_MS });
    limitConnections(this.app.server, config.tcp.maxConnections, config.clock, config.logger);
    this.app.removeAllContentTypeParsers();
    // Every body arrives as bytes, read under the bounds; the route decides by content type (and says why it refuses).
    this.app.addContentTypeParser('*', (req: FastifyRequest, payload: IncomingMessage, done: (err: Error | null, body?: Buffer) => void) => bodies.read(payload, done));
    this.app.addHook('onRequest', (_req, reply, done) => {
      if (!this.draining) return done();
      this.sendError(reply, { code: 'SHUTTING_DOWN', name: 'RpcError', message: 'the provider is shutting down; the call was not run' }, null);
    });
    this.app.post('/:service/:method', (req, reply) => this.onCall(req, reply));
    this.app.setNotFoundHandler((req, reply) => {
      reply.code(404);
      this.sendError(reply, { code: 'BAD_REQUEST', name: 'RpcError', message: `no route ${req.method} ${req.url}: calls are POST /<service>/<method>` }, null);
    });
    this.app.setErrorHandler((err: FastifyError | RpcError, req, reply) => {
      if (err instanceof RpcError) {
        // The body reader's refusals (over maxFrameBytes or maxBufferedBytes): the connection closes after the answer.
        this.config.logger.warn({ peer: `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? 0}`, code: err.code }, `rpc: request body refused: ${err.message}`);
        return this.sendError(reply, toWireError(err, false), null);
      }
      const code = err.statusCode === 413 ? 'FRAME_TOO_LARGE' : err.statusCode !== undefined && err.statusCode < 500 ? 'BAD_REQUEST' : 'REMOTE_ERROR';
      this.sendError(reply, { code, name: 'RpcError', message: err.message }, null);
    });
  }

  get port(): number {
    return this.boundPort;
  }

  /** Whether new connections are accepted (until a drain has seen them stop coming). */
  get listening(): boolean {
    return this.app.server.listening;
  }

  /** Requests being served (http has no long-lived connection to count). */
  get connectionCount(): number {
    return this.inFlight.size;
  }

  /** Bytes of request bodies being read (bounded by maxBufferedBytes). */
  get bufferedBytes(): number {
    return this.budget.used;
  }

  async listen(handler: CallHandler): Promise<void> {
    this.handler = handler;
    await this.app.listen({ port: this.config.port, host: this.config.host });
    const address = this.app.server.address();
    this.boundPort = typeof address === 'object' && address !== null ? address.port : this.config.port;
  }

  drain(): Promise<void> {
    this.draining = true;
    this.drained ??= this.closeListenerWhenQuiet();
    return this.drained;
  }

  /** Resolves once the listener is closed (see DRAIN_QUIET_MS) and every connection has closed. */
  private async closeListenerWhenQuiet(): Promise<void> {
    const server = this.app.server;
    if (!server.listening) return;
    const { clock } = this.config;
    const start = clock.monotonic();
    let last = start;
    const arrived = (): void => { last = clock.monotonic(); };
    server.on('connection', arrived);
    for (;;) {
      const now = clock.monotonic();
      if (now - last >= DRAIN_QUIET_MS || now - start >= DRAIN_ACCEPT_MAX_MS) break;
      await new Promise<void>((resolve) => { clock.setTimeout(resolve, Math.min(DRAIN_QUIET_MS - (now - last), DRAIN_ACCEPT_MAX_MS - (now - start))); });
    }
    server.off('connection', arrived);
    // net.Server's close, not http.Server's: that one also cuts idle keep-alive connections. This
    // one stops accepting and calls back once every connection has closed.
    if (server.listening) await new Promise<void>((resolve) => { NetServer.prototype.close.call(server, () => resolve()); });
  }

  async close(): Promise<void> {
    this.draining = true;
    const reason = new RpcError('SHUTTING_DOWN', 'the provider closed');
    for (const call of this.inFlight) {
      call.done = true;
      call.abortable?.abort(reason);
    }
    this.inFlight.clear();
    this.closing ??= this.app.close();
    this.app.server.closeAllConnections();
    await this.closing;
  }

  /** @internal */
  answer(call: HttpIncomingCall, result: unknown, attachments: Attachments | null): void {
    this.inFlight.delete(call);
    if (call.reply.sent || call.reply.raw.destroyed) return;
    let body: Buffer;
    try {
      body = this.body.encode(call.type, result);
    } catch (err) {
      this.sendError(call.reply, toWireError(err, this.config.exposeStack), attachments);
      return;
    }
    const reply = call.reply.code(200).header('content-type', call.type);
    this.finish(reply, attachments).send(body);
  }

  /** @internal Errors are JSON whatever the request's format. */
  sendError(reply: FastifyReply, error: WireError, attachments: Attachments | null): void {
    if (reply.sent || reply.raw.destroyed) return;
    const status = reply.statusCode === 404 && error.code === 'BAD_REQUEST' ? 404 : statusOf(error.code);
    this.finish(reply.code(status).header('content-type', JSON_TYPE), attachments).send(JSON.stringify(error));
  }

  private finish(reply: FastifyReply, attachments: Attachments | null): FastifyReply {
    if (attachments !== null) reply.header(HEADER.ATTACHMENTS, headerJson(attachments));
    if (this.draining) reply.header(HEADER.DRAINING, '1').header('connection', 'close');
    return reply;
  }

  private onCall(req: FastifyRequest, reply: FastifyReply): FastifyReply {
    const call = this.readCall(req, reply);
    if (call instanceof RpcError) {
      this.sendError(reply, toWireError(call, false), null);
      return reply;
    }
    if (this.inFlight.size >= this.config.tcp.maxInFlight) {
      this.sendError(reply, { code: 'PROVIDER_BUSY', name: 'RpcError', message: `${this.inFlight.size} requests are being served (maxInFlight ${this.config.tcp.maxInFlight})` }, null);
      return reply;
    }
    this.inFlight.add(call);
    reply.raw.once('close', () => this.onClosed(call));
    (this.handler as CallHandler).handle(call);
    return reply;
  }

  private onClosed(call: HttpIncomingCall): void {
    if (!this.inFlight.delete(call) || call.done) return;
    call.done = true;
    const late = this.config.clock.now() >= call.deadline;
    call.abortable?.abort(late
      ? new RpcError('DEADLINE_EXCEEDED', `the deadline of ${call.service}.${call.method} passed and the consumer ${call.remoteAddress} gave up`)
      : new RpcError('NETWORK', `the consumer ${call.remoteAddress} went away`));
  }

  private readCall(req: FastifyRequest, reply: FastifyReply): HttpIncomingCall | RpcError {
    const { service, method } = req.params as { service: string; method: string };
    if (service.length > MAX_NAME || method.length > MAX_NAME) return new RpcError('BAD_REQUEST', `service and method names are at most ${MAX_NAME} characters`);
    const headers: IncomingHttpHeaders = req.headers;
    const type = mediaType(headers['content-type']);
    if (type === null) return new RpcError('BAD_REQUEST', `content-type must be ${JSON_TYPE} or application/msgpack, got ${JSON.stringify(headers['content-type'] ?? '')}`);
    const body = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) return new RpcError('BAD_REQUEST', 'the body must be an array of arguments');
    let args: unknown[];
    try {
      args = this.body.decodeArgs(type, body);
    } catch (err) {
      return err as RpcError;
    }
    const attachments = readAttachmentHeaders(headers);
    if (typeof attachments === 'string') return new RpcError('BAD_REQUEST', attachments);
    const deadline = readDeadline(headers, this.config.clock.now());
    if (typeof deadline === 'string') return new RpcError('BAD_REQUEST', deadline);
    const answerType = mediaType(headers.accept) ?? type;
    const version = headerOrQuery(headers, req.query, HEADER.VERSION, 'version', '*');
    const group = headerOrQuery(headers, req.query, HEADER.GROUP, 'group', 'default');
    const remote = `${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? 0}`;
    return new HttpIncomingCall(this, reply, answerType, service, version, group, method, args, attachments, deadline, remote);
  }
}
