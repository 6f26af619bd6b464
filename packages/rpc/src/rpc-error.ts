/**
 * Every RPC failure is an RpcError with a code from this table. `retryable` is data, not a
 * guess at the call site: the failover cluster retries another provider only for retryable
 * codes (and only for idempotent methods).
 */
const TABLE = {
  TIMEOUT: { retryable: true, message: 'the call did not complete before its deadline' },
  NETWORK: { retryable: true, message: 'the connection to the provider failed or dropped' },
  NO_PROVIDER: { retryable: false, message: 'no provider is available for the service' },
  UNKNOWN_SERVICE: { retryable: false, message: 'the provider does not export the service' },
  UNKNOWN_METHOD: { retryable: false, message: 'the service has no such method' },
  VERSION_MISMATCH: { retryable: false, message: 'no provider matches the requested version or group' },
  PROVIDER_BUSY: { retryable: true, message: 'the provider is at its concurrency limit for the service' },
  SHUTTING_DOWN: { retryable: true, message: 'the provider is shutting down' },
  CIRCUIT_OPEN: { retryable: true, message: 'the provider is set aside after consecutive failures' },
  DEADLINE_EXCEEDED: { retryable: false, message: 'the provider saw the deadline pass and aborted' },
  REMOTE_ERROR: { retryable: false, message: 'the remote method threw' },
  SERIALIZATION: { retryable: false, message: 'arguments or result could not be encoded or decoded' },
  FRAME_TOO_LARGE: { retryable: false, message: 'a frame exceeded the size limit' },
  BAD_REQUEST: { retryable: false, message: 'the request was malformed' },
} as const;

export type RpcErrorCode = keyof typeof TABLE;
export const RPC_ERROR_CODES = Object.keys(TABLE) as readonly RpcErrorCode[];

export class RpcError extends Error {
  override readonly name = 'RpcError';
  readonly retryable: boolean;

  constructor(
    readonly code: RpcErrorCode,
    message?: string,
    readonly details: { readonly remoteName?: string; readonly remoteStack?: string; readonly provider?: string } = {},
  ) {
    super(message ?? TABLE[code].message);
    this.retryable = TABLE[code].retryable;
  }

  static isRetryable(e: unknown): boolean {
    return e instanceof RpcError && e.retryable;
  }
}
