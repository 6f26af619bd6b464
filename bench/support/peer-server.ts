/** A coordination server running in its own process (or in-process for tests), reachable on loopback. */
export interface PeerServer {
  readonly host: string;
  readonly port: number;
  readonly connectString: string;
  readonly dataDir: string;
  /** The server's process id when it runs in a child process. */
  readonly pid?: number;
  /** Stops the server and deletes its data dir; idempotent. */
  stop(): Promise<void>;
}
