import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MemberPlan } from './plan.js';

const BIN = fileURLToPath(new URL('../../../packages/coord-server/bin/coord-server.js', import.meta.url));

/** How a member ended: its exit status, or the signal that ended it. */
export type MemberExit = { readonly code: number | null; readonly signal: NodeJS.Signals | null };

/** The log tail read for the reason a member stopped: its own last words are near the end. */
const LOG_TAIL_BYTES = 64 * 1024;

/**
 * One ensemble member: the coord-server bin as a child process, run with its zoo.cfg. Its
 * stdout and stderr go to server.log in its data dir, so the terminal shows the launcher's lines
 * only and the log survives the run.
 */
export class Member {
  readonly exited: Promise<MemberExit>;
  private readonly child: ChildProcess;
  private ended: MemberExit | null = null;

  constructor(readonly plan: MemberPlan, config: string) {
    const log = openSync(this.logPath, 'a');
    try {
      // Its own process group: a Ctrl-C in the terminal reaches the launcher alone, which
      // forwards it, so a member never stops before the launcher knows it is stopping them.
      this.child = spawn(process.execPath, [BIN, '--config', config], { stdio: ['ignore', log, log], detached: true });
    } finally {
      closeSync(log);
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.ended = { code, signal };
        resolve(this.ended);
      });
    });
  }

  get name(): string {
    return `server.${this.plan.id}`;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get logPath(): string {
    return join(this.plan.dir, 'server.log');
  }

  /** The last resort when the launcher itself dies: no member outlives it. */
  killNow(): void {
    if (!this.ended) this.child.kill('SIGKILL');
  }

  get running(): boolean {
    return this.ended === null;
  }

  /**
   * Sends `signal`; SIGKILL if it is still running after `graceMs`. Resolves once it has exited.
   */
  async stop(signal: NodeJS.Signals, graceMs: number): Promise<MemberExit> {
    if (this.ended) return this.ended;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /**
   * Why it stopped, in its own words: the last line the bin printed on stderr (`coord-server:
   * ...`, not the JSON log lines), else the last log line.
   */
  lastWords(): string {
    let text: string;
    try {
      const all = readFileSync(this.logPath);
      text = all.subarray(Math.max(0, all.length - LOG_TAIL_BYTES)).toString('utf8');
    } catch {
      return '(no log)';
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    return lines.findLast((l) => l.startsWith('coord-server:')) ?? lines.at(-1) ?? '(empty log)';
  }
}

/** `status 1` or `signal SIGKILL`. */
export function describeExit(exit: MemberExit): string {
  return exit.signal ? `signal ${exit.signal}` : `status ${exit.code}`;
}
