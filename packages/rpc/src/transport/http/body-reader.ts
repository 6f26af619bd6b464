import type { IncomingMessage } from 'node:http';
import { RpcError } from '../../call/rpc-error.js';
import type { ByteBudget } from '../byte-budget.js';

type Done = (err: Error | null, body?: Buffer) => void;

/**
 * Reads request bodies as bytes under the provider's bounds, as the tcp transport reads frames:
 * one over `maxBytes` is refused FRAME_TOO_LARGE (by its content-length before anything is
 * read), and its bytes are taken from `budget`, shared with every other request, until it is
 * complete; one that finds no room left is refused PROVIDER_BUSY (never run, so a consumer may
 * go elsewhere). fastify closes the connection after either refusal.
 */
export class BodyReader {
  constructor(private readonly maxBytes: number, private readonly budget: ByteBudget) {}

  /** A fastify content-type parser (request, payload, done). */
  read(payload: IncomingMessage, done: Done): void {
    const declared = Number(payload.headers['content-length']);
    if (declared > this.maxBytes) {
      done(this.tooLarge(declared));
      return;
    }
    new PendingBody(this, payload, declared, done).start();
  }

  /** @internal */
  take(body: PendingBody, bytes: number): RpcError | null {
    if (body.received + bytes > this.maxBytes) return this.tooLarge(body.received + bytes);
    if (this.budget.take(bytes)) return null;
    return new RpcError('PROVIDER_BUSY', `request bodies being read hold ${this.budget.used} bytes; ${bytes} more would pass maxBufferedBytes ${this.budget.limit}`);
  }

  /** @internal */
  give(bytes: number): void {
    this.budget.give(bytes);
  }

  private tooLarge(bytes: number): RpcError {
    return new RpcError('FRAME_TOO_LARGE', `a body of ${bytes} bytes or more is over maxFrameBytes (${this.maxBytes})`);
  }
}

/** One body being read; its listeners are methods, bound once. */
class PendingBody {
  received = 0;
  private readonly chunks: Buffer[] = [];
  private settled = false;

  constructor(private readonly reader: BodyReader, private readonly payload: IncomingMessage, private readonly declared: number, private readonly done: Done) {
    this.onData = this.onData.bind(this);
    this.onEnd = this.onEnd.bind(this);
    this.onError = this.onError.bind(this);
  }

  start(): void {
    this.payload.on('data', this.onData);
    this.payload.on('end', this.onEnd);
    this.payload.on('error', this.onError);
    // A consumer that goes away mid-body: its bytes go back.
    this.payload.on('close', this.onError);
  }

  private onData(chunk: Buffer): void {
    const refused = this.reader.take(this, chunk.length);
    if (refused !== null) {
      this.finish(refused);
      return;
    }
    this.received += chunk.length;
    this.chunks.push(chunk);
  }

  private onEnd(): void {
    if (!Number.isNaN(this.declared) && this.received !== this.declared) {
      this.finish(new RpcError('BAD_REQUEST', `the body has ${this.received} bytes; content-length said ${this.declared}`));
      return;
    }
    this.finish(null, this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.received));
  }

  private onError(err?: Error): void {
    this.finish(err instanceof Error ? err : new RpcError('NETWORK', 'the consumer went away before the body was complete'));
  }

  private finish(err: Error | null, body?: Buffer): void {
    if (this.settled) return;
    this.settled = true;
    this.payload.off('data', this.onData);
    this.payload.off('end', this.onEnd);
    this.payload.off('error', this.onError);
    this.payload.off('close', this.onError);
    // Complete or refused, the body no longer waits in the budget.
    this.reader.give(this.received);
    this.done(err, body);
  }
}
