import { RPC_ERROR_CODES, RpcError, type RpcErrorCode } from '../../call/rpc-error.js';

/** An error as it crosses the wire, whatever the transport: tcp's ERROR message, http's error body. */
export interface WireError {
  readonly code: string;
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

const KNOWN_CODES: ReadonlySet<string> = new Set(RPC_ERROR_CODES);

/** Whether a decoded value has a wire error's shape (a code outside the table still does: fromWireError makes it REMOTE_ERROR). */
export function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return typeof e.code === 'string' && typeof e.name === 'string' && typeof e.message === 'string' &&
    (e.stack === undefined || typeof e.stack === 'string');
}

/**
 * The boundary where a provider's failures become wire errors, the one table of which is
 * RpcError's: an RpcError keeps its code; anything else the implementation threw is
 * REMOTE_ERROR with the thrown error's name and message. Stacks leave only when enabled.
 */
export function toWireError(err: unknown, exposeStack: boolean): WireError {
  if (err instanceof RpcError) {
    const name = err.details.remoteName ?? err.name;
    return exposeStack && err.stack ? { code: err.code, name, message: err.message, stack: err.stack } : { code: err.code, name, message: err.message };
  }
  if (err instanceof Error) {
    const name = typeof err.name === 'string' ? err.name : 'Error';
    const message = typeof err.message === 'string' ? err.message : String(err.message);
    return exposeStack && err.stack ? { code: 'REMOTE_ERROR', name, message, stack: err.stack } : { code: 'REMOTE_ERROR', name, message };
  }
  return { code: 'REMOTE_ERROR', name: 'Error', message: `the method threw a non-error value: ${describe(err)}` };
}

/** The consumer's side: a wire error becomes an RpcError naming the provider it came from. */
export function fromWireError(w: WireError, provider: string): RpcError {
  const code = (KNOWN_CODES.has(w.code) ? w.code : 'REMOTE_ERROR') as RpcErrorCode;
  const details = w.stack === undefined ? { remoteName: w.name, provider } : { remoteName: w.name, remoteStack: w.stack, provider };
  return new RpcError(code, w.message, details);
}

function describe(value: unknown): string {
  try {
    const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
    return text.length > 200 ? `${text.slice(0, 200)}...` : text;
  } catch {
    return typeof value;
  }
}
