import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordServerBin } from './coord-server-process.js';
import { fourLetter, stopChild } from './four-letter.js';

/** A member's tickTime unless it is given one (ms). */
export const DEFAULT_TICK_MS = 500;

export interface PaddockProcessOptions {
  /** The ensemble's server.N lines (this member's among them). */
  readonly lines: readonly string[];
  readonly clientPort: number;
  readonly tickTime?: number;
  readonly initLimit?: number;
  readonly syncLimit?: number;
  readonly observer?: boolean;
  /** Default a fresh temp dir, removed by remove(). */
  readonly dataDir?: string;
  /** forceSync (default yes: the point of a crash test is what reached the disk). */
  readonly forceSync?: boolean;
  /** More zoo.cfg lines (session timeout bounds, a super digest). */
  readonly extra?: readonly string[];
  /** Node flags for the process, e.g. ['--cpu-prof', '--cpu-prof-dir=DIR'] (the bench's --profile). */
  readonly nodeArgs?: readonly string[];
}

/**
 * A Paddock ensemble member as its own process (the built bin with --config), so a test can
 * kill -9 it by its PID and start it again on the same data. stdout/stderr go to server.log in
 * its dir.
 */
export class PaddockProcess {
  readonly dataDir: string;
  private child: ChildProcess | null = null;
  private readonly exitHook = (): void => {
    this.child?.kill('SIGKILL');
  };

  constructor(readonly id: number, private readonly o: PaddockProcessOptions) {
    this.dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), `paddock-proc-${id}-`));
    mkdirSync(this.dataDir, { recursive: true });
    writeFileSync(join(this.dataDir, 'myid'), `${id}\n`);
    writeFileSync(join(this.dataDir, 'zoo.cfg'), [
      `tickTime=${o.tickTime ?? DEFAULT_TICK_MS}`, `initLimit=${o.initLimit ?? 10}`, `syncLimit=${o.syncLimit ?? 5}`,
      `dataDir=${this.dataDir}`, `clientPort=${o.clientPort}`, 'clientPortAddress=127.0.0.1',
      'admin.enableServer=false', '4lw.commands.whitelist=*', `forceSync=${o.forceSync === false ? 'no' : 'yes'}`,
      ...(o.observer ? ['peerType=observer'] : []), ...(o.extra ?? []), ...o.lines,
    ].join('\n') + '\n');
    process.once('exit', this.exitHook);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get clientPort(): number {
    return this.o.clientPort;
  }

  /** Starts the process (again, on the same data after a kill); `env`: more variables for this run, e.g. PADDOCK_FAILPOINTS. */
  start(env: Readonly<Record<string, string>> = {}): void {
    if (this.child) return;
    const log = openSync(join(this.dataDir, 'server.log'), 'a');
    this.child = spawn(process.execPath, [...(this.o.nodeArgs ?? []), coordServerBin(), '--config', join(this.dataDir, 'zoo.cfg')], {
      stdio: ['ignore', log, log], env: { ...process.env, PADDOCK_LOG_LEVEL: process.env.PADDOCK_ENSEMBLE_LOG ?? 'info', ...env },
    });
    closeSync(log);
    const child = this.child;
    this.exit = new Promise((resolve) => {
      child.once('exit', (code) => {
        if (this.child === child) this.child = null;
        resolve(code);
      });
    });
  }

  /** The last start's exit code once it exits (null when a signal ended it). */
  exit: Promise<number | null> = Promise.resolve(null);

  /** `srvr`'s Mode line: leader, follower, observer, or 'down' while it does not serve. */
  async mode(): Promise<string> {
    if (!this.child) return 'down';
    const srvr = await fourLetter(this.o.clientPort, 'srvr', '127.0.0.1', 1000).catch(() => '');
    return /^Mode: (\w+)/m.exec(srvr)?.[1] ?? 'down';
  }

  /** kill -9 by PID; resolves once it has exited. */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c) return;
    await stopChild(c, 'SIGKILL', 0);
    this.child = null;
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c) return;
    await stopChild(c, 'SIGTERM', 10_000);
    this.child = null;
  }

  logTail(lines = 40): string {
    return this.logText().split('\n').slice(-lines).join('\n');
  }

  /** The whole server.log ('' before the first start). */
  logText(): string {
    try {
      return readFileSync(join(this.dataDir, 'server.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Stops it and deletes its dir (when the dir was ours). */
  async remove(): Promise<void> {
    await this.kill();
    process.removeListener('exit', this.exitHook);
    if (!this.o.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
