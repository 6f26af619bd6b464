import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The compiled examples (the global setup has run `tsc -b`). */
const EXAMPLES_DIST = fileURLToPath(new URL('../../examples/dist/', import.meta.url));
const WAIT_MS = 30_000;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * One example program (`examples/dist/<script>`) in a child process: its output by lines,
 * waits for a line (bounded), and its exit. Only processes started here are ever signalled.
 */
export class ExampleProcess {
  private static readonly running = new Set<ExampleProcess>();
  readonly exited: Promise<Exit>;
  readonly lines: string[] = [];
  stderr = '';
  private partial = '';
  private closed = false;
  private readonly waiters = new Set<() => void>();

  constructor(readonly script: string, args: readonly string[], private readonly child: ChildProcess = spawn(process.execPath, [EXAMPLES_DIST + script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })) {
    ExampleProcess.running.add(this);
    child.stdout?.on('data', (chunk: Buffer) => {
      const parts = (this.partial + chunk.toString()).split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
      for (const wake of [...this.waiters]) wake();
    });
    child.stderr?.on('data', (chunk: Buffer) => { this.stderr += chunk.toString(); });
    // 'close', not 'exit': all of its output has been read by then.
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => {
      ExampleProcess.running.delete(this);
      this.closed = true;
      if (this.partial !== '') this.lines.push(this.partial);
      for (const wake of [...this.waiters]) wake();
      resolve({ code, signal });
    }));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get output(): string {
    return this.lines.join('\n');
  }

  /** The first line (from `from` on) matching `re`; rejects when the process exits first or after WAIT_MS. */
  async line(re: RegExp, from = 0): Promise<{ index: number; match: RegExpExecArray }> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        for (let i = from; i < this.lines.length; i++) {
          const match = re.exec(this.lines[i] as string);
          if (match !== null) return done(() => resolve({ index: i, match }));
        }
        if (this.closed) {
          done(() => reject(new Error(`${this.script} exited without printing ${re}:\n${this.output}\n${this.stderr}`)));
        }
      };
      const timer = setTimeout(() => done(() => reject(new Error(`${this.script}: no line ${re} within ${WAIT_MS} ms:\n${this.output}\n${this.stderr}`))), WAIT_MS);
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Its exit, bounded: after `ms` it is killed and the wait rejects. */
  async exit(ms = WAIT_MS): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(new Error(`${this.script} did not exit within ${ms} ms:\n${this.output}\n${this.stderr}`));
      }, ms);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  kill(): void {
    this.signal('SIGKILL');
  }

  /** Kills what a test left running. */
  static async killAll(): Promise<void> {
    const all = [...ExampleProcess.running];
    for (const p of all) p.kill();
    await Promise.all(all.map((p) => p.exited));
  }
}

/** Runs an example to its end; resolves with its exit and output. */
export async function runExample(script: string, args: readonly string[], ms = WAIT_MS): Promise<{ exit: Exit; lines: string[]; stderr: string }> {
  const p = new ExampleProcess(script, args);
  const exit = await p.exit(ms);
  return { exit, lines: p.lines, stderr: p.stderr };
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
