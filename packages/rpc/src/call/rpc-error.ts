/**
 * Every RPC failure is an RpcError with a code from this table. `retryable` and `ran` are data,
 * not guesses at the call site: the failover cluster retries another provider only for
 * retryable codes, and for a method that is not idempotent only when the failed attempt
 * provably never ran it (`ran: 'never'`, or a NETWORK error raised before the request left).
 */
const TABLE = {
  TIMEOUT: { retryable: true, ran: 'maybe', message: 'the call did not complete before its deadline' },
  NETWORK: { retryable: true, ran: 'maybe', message: 'the connection to the provider failed or dropped' },
  NO_PROVIDER: { retryable: false, ran: 'never', message: 'no provider is available for the service' },
  UNKNOWN_SERVICE: { retryable: false, ran: 'never', message: 'the provider does not export the service' },
  UNKNOWN_METHOD: { retryable: false, ran: 'never', message: 'the service has no such method' },
  VERSION_MISMATCH: { retryable: false, ran: 'never', message: 'no provider matches the requested version or group' },
  PROVIDER_BUSY: { retryable: true, ran: 'never', message: 'the provider is at its concurrency limit for the service' },
  SHUTTING_DOWN: { retryable: true, ran: 'never', message: 'the provider is shutting down' },
  CIRCUIT_OPEN: { retryable: true, ran: 'never', message: 'the provider is set aside after consecutive failures' },
  DEADLINE_EXCEEDED: { retryable: false, ran: 'maybe', message: 'the provider saw the deadline pass and aborted' },
  REMOTE_ERROR: { retryable: false, ran: 'maybe', message: 'the remote method threw' },
  SERIALIZATION: { retryable: false, ran: 'maybe', message: 'arguments or result could not be encoded or decoded' },
  FRAME_TOO_LARGE: { retryable: false, ran: 'maybe', message: 'a frame exceeded the size limit' },
  BAD_REQUEST: { retryable: false, ran: 'never', message: 'the request was malformed' },
  // The request went out, so the method may have run; another provider may well answer properly.
  BAD_RESPONSE: { retryable: true, ran: 'maybe', message: 'the provider\'s answer was malformed' },
} as const;

export type RpcErrorCode = keyof typeof TABLE;
export const RPC_ERROR_CODES = Object.keys(TABLE) as readonly RpcErrorCode[];

export interface RpcErrorDetails {
  readonly remoteName?: string;
  readonly remoteStack?: string;
  readonly provider?: string;
  /** The request never left this process (no connection, refused connect): the method did not run. */
  readonly notSent?: boolean;
}

export class RpcError extends Error {
  override readonly name = 'RpcError';
  readonly retryable: boolean;
  /** The provider provably never ran the method, so even a method that is not idempotent may be tried elsewhere. */
  readonly notExecuted: boolean;

  constructor(
    readonly code: RpcErrorCode,
    message?: string,
    readonly details: RpcErrorDetails = {},
  ) {
    super(message ?? TABLE[code].message);
    this.retryable = TABLE[code].retryable;
    this.notExecuted = TABLE[code].ran === 'never' || details.notSent === true;
  }

  static isRetryable(e: unknown): boolean {
    return e instanceof RpcError && e.retryable;
  }

  /** Whether another provider may be tried after `e`: a retryable error, and a method safe to run twice or one that never ran. */
  static mayRetry(e: unknown, idempotent: boolean): boolean {
    return e instanceof RpcError && e.retryable && (idempotent || e.notExecuted);
  }
}
