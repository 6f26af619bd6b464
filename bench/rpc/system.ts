/** What one call carries: bytes where the system can carry them, else an ASCII string of the same length. */
export type Payload = Buffer | string;
export type PayloadKind = 'bytes' | 'text';

/** One connection's way to call the echo server: resolves with what came back. */
export interface EchoCaller {
  call(payload: Payload): Promise<Payload>;
}

/** The driver's side of one system: callers over `connections` connections, and how to close them. */
export interface EchoDriver {
  readonly callers: readonly EchoCaller[];
  close(): Promise<void>;
}

/**
 * One system under test. `serve` runs in the server's own child process (serve-system.ts);
 * `connect` runs in the bench process. Both are in one file per system, so a reader sees the
 * whole of a peer's setup in one place.
 */
export interface EchoSystem {
  /** What the report calls it. */
  readonly label: string;
  /** What one call carries. */
  readonly payload: PayloadKind;
  /** How the caller is set up (timeouts, defaults), for the report's footnotes. */
  readonly setupNote: string;
  /** How `connections` is realised, for the report's footnotes. */
  readonly connectionsNote: string;
  /** Serves the echo on 127.0.0.1:port until the process ends. */
  serve(port: number): Promise<void>;
  connect(port: number, connections: number): Promise<EchoDriver>;
}
