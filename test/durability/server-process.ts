import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { coordServerBin } from '../../bench/support/coord-server-process.js';
import { stopChild, waitUntilServing } from '../../bench/support/four-letter.js';

/** Where the server keeps its own files inside --data-dir (persistence/files.ts FORMAT_DIR). */
const FORMAT_DIR = 'paddock-v1';
/** Bound on one start: recovery of the small trees these tests build takes well under a second. */
const START_MS = 20_000;
/** Lines of output kept to explain a failed start or a failed check. */
const TAIL_LINES = 200;

export interface ServerProcessOptions {
  readonly port: number;
  readonly dataDir: string;
  /** zoo.cfg keys on top of the defaults below (e.g. snapCount). */
  readonly zooCfg?: Readonly<Record<string, string>>;
  /** PADDOCK_LOG_LEVEL of the child; `warn` shows the torn-tail cut. */
  readonly logLevel?: string;
  /** More environment for the child, e.g. PADDOCK_FAILPOINTS. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Our server as a child process that can be SIGKILLed and started again on the same port and
 * data dir (`node packages/coord-server/bin/coord-server.js --config zoo.cfg --port P --data-dir D`),
 * so clients reconnect to it by themselves as they would to a restarted production server.
 */
export class ServerProcess {
  private child: ChildProcess | null = null;
  private readonly lines: string[] = [];
  private readonly cfgPath: string;
  starts = 0;

  constructor(private readonly o: ServerProcessOptions) {
    mkdirSync(o.dataDir, { recursive: true });
    this.cfgPath = join(o.dataDir, 'zoo.cfg');
    const cfg = { maxClientCnxns: '0', 'admin.enableServer': 'false', ...o.zooCfg };
    writeFileSync(this.cfgPath, Object.entries(cfg).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  }

  get port(): number {
    return this.o.port;
  }

  get connectString(): string {
    return `127.0.0.1:${this.o.port}`;
  }

  /** The server's own folder of snapshots and logs. */
  get formatDir(): string {
    return join(this.o.dataDir, FORMAT_DIR);
  }

  /** The tail of everything the server printed, over all its runs. */
  output(): string {
    return this.lines.join('');
  }

  private spawn(): ChildProcess {
    if (this.child) throw new Error('server already running');
    const child = spawn(
      process.execPath,
      [coordServerBin(), '--config', this.cfgPath, '--port', String(this.o.port), '--data-dir', this.o.dataDir],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PADDOCK_LOG_LEVEL: this.o.logLevel ?? 'warn', ...this.o.env } },
    );
    this.child = child;
    this.starts++;
    const keep = (c: Buffer): void => {
      this.lines.push(c.toString());
      if (this.lines.length > TAIL_LINES) this.lines.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return child;
  }

  /** Starts the server and resolves once it accepts sessions (it answers `srvr`). */
  async start(): Promise<void> {
    const exit = await this.startRefusedOrServing();
    if (exit) throw new Error(`coord-server exited (${exit.code}) before serving on ${this.o.port}\nserver output:\n${this.output()}`);
  }

  /** Starts the server expecting it to refuse: its exit code and what this run printed. */
  async startRefused(): Promise<{ code: number | null; output: string }> {
    const exit = await this.startRefusedOrServing();
    if (!exit) throw new Error(`coord-server started on ${this.o.port}, expected a refusal`);
    return exit;
  }

  /**
   * Starts the server: null once it serves, or its exit code and what this run printed when it
   * exits first (a refusal to start).
   */
  async startRefusedOrServing(): Promise<{ code: number | null; output: string } | null> {
    const child = this.spawn();
    let output = '';
    child.stdout?.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
    // 'close', not 'exit': by then everything it printed has been read.
    const closed = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
    const serving = waitUntilServing('coord-server', this.o.port, child, START_MS).then(() => 'serving' as const, (err: Error) => err);
    const outcome = await Promise.race([serving, closed.then((code) => ({ code }))]);
    if (outcome === 'serving') return null;
    if (outcome instanceof Error) {
      const code = child.exitCode ?? child.signalCode;
      if (code === null) {
        await this.kill();
        throw new Error(`${outcome.message}\nserver output:\n${this.output()}`, { cause: outcome });
      }
    }
    const code = await closed;
    this.child = null;
    return { code, output };
  }

  /** The running child's pid. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Resolves with the exit code once the running child exits by itself (bounded by `ms`). */
  async exited(ms: number): Promise<number | null> {
    const child = this.child;
    if (!child) throw new Error('server not running');
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`coord-server still running after ${ms} ms:\n${this.output()}`)), ms);
      const done = (c: number | null) => { clearTimeout(timer); resolve(c); };
      if (child.exitCode !== null) done(child.exitCode);
      else child.once('close', done);
    });
    this.child = null;
    return code;
  }

  /** SIGKILL, as a crash: nothing is flushed or closed. Resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child) await stopChild(child, 'SIGKILL', 0);
  }

  /** Sends SIGKILL now, without waiting: for killing at an exact point of a client callback. */
  killNow(): Promise<void> {
    const child = this.child;
    child?.kill('SIGKILL');
    return this.kill();
  }

  /** Clean shutdown (SIGTERM, SIGKILL after a grace period). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child) await stopChild(child, 'SIGTERM', 10_000);
  }

  /** Txn log files, oldest first. */
  logFiles(): string[] {
    return readdirSync(this.formatDir)
      .filter((n) => /^log\.[0-9a-f]+$/.test(n))
      .sort((a, b) => parseInt(a.slice(4), 16) - parseInt(b.slice(4), 16))
      .map((n) => join(this.formatDir, n));
  }

  snapshotFiles(): string[] {
    return readdirSync(this.formatDir).filter((n) => /^snapshot\.[0-9a-f]+$/.test(n));
  }
}
