import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../../bench/support/four-letter.js';
import { WAIT_MS } from './registry-waiting.js';

/** One line a fixture printed: `{ "event": ..., "at": Date.now(), ... }`. */
export interface ScriptMessage {
  readonly event: string;
  readonly at: number;
  readonly [key: string]: unknown;
}

/** Lines of stderr kept to explain a failure. */
const TAIL = 50;

/**
 * A fixture script from `test/registry/fixtures/` run with node on the built packages (the
 * global setup builds them), talking JSON lines: its messages are recorded and waited on, and
 * commands go to its stdin. Only the process started here is ever signalled.
 */
export class ChildScript {
  readonly messages: ScriptMessage[] = [];
  private readonly stderr: string[] = [];
  private readonly wakers = new Set<() => void>();
  private readonly child: ChildProcess;
  readonly exited: Promise<void>;

  private constructor(readonly name: string, script: string, config: unknown) {
    const path = fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url));
    this.child = spawn(process.execPath, [path, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', () => { this.wake(); resolve(); }));
    let partial = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        try {
          this.messages.push(JSON.parse(line) as ScriptMessage);
        } catch {
          this.stderr.push(`stdout: ${line}\n`);
        }
      }
      this.wake();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr.push(chunk.toString());
      if (this.stderr.length > TAIL) this.stderr.shift();
    });
  }

  static start(name: string, script: 'provider.mjs' | 'consumer.mjs', config: unknown): ChildScript {
    return new ChildScript(name, script, config);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first message at or after index `from` that passes `match`; fails early if the process exits. */
  next(what: string, match: (m: ScriptMessage) => boolean, from = 0, ms = WAIT_MS): Promise<ScriptMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${ms} ms waiting for ${this.name}: ${what}; stderr: ${this.tail()}`));
      }, ms);
      const check = (): void => {
        const m = this.messages.slice(from).find(match);
        if (m) {
          cleanup();
          resolve(m);
        } else if (!this.running) {
          cleanup();
          reject(new Error(`${this.name} exited (${this.child.exitCode ?? this.child.signalCode}) while waiting for ${what}; stderr: ${this.tail()}`));
        }
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.wakers.delete(check);
      };
      this.wakers.add(check);
      check();
    });
  }

  /** The first message of an event (at or after `from`). */
  event(event: string, from = 0, ms = WAIT_MS): Promise<ScriptMessage> {
    return this.next(`event ${event}`, (m) => m.event === event, from, ms);
  }

  send(command: string): void {
    this.child.stdin?.write(`${command}\n`);
  }

  /** Sends a signal to this process only (SIGKILL, SIGSTOP, SIGCONT...). */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Kills the process (if still running) and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.running) this.child.kill('SIGCONT');
    await stopChild(this.child, 'SIGKILL', 0);
  }

  private tail(): string {
    return this.stderr.join('').trim();
  }

  private wake(): void {
    for (const w of [...this.wakers]) w();
  }
}
