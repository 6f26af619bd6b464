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

export interface RestartOptions {
  /** How the running process is stopped: SIGKILL (a crash, the default) or SIGTERM (a clean shutdown). */
  readonly signal?: 'SIGKILL' | 'SIGTERM';
  /** Runs while the server is down, before it starts again (e.g. wait until clients noticed). */
  readonly whileDown?: () => Promise<void>;
}

/** A server in a child process that can be stopped and started again on the same port and data dir. */
export interface RestartablePeer extends PeerServer {
  /** Stops the process, then starts a new one on the same port and data dir; resolves once it serves. */
  restart(opts?: RestartOptions): Promise<void>;
}
