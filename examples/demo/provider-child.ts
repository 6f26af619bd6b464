import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const PROVIDER = fileURLToPath(new URL('../hello/provider.js', import.meta.url));
const START_MS = 15_000;
const SERVING = /serving Greeter at (\S+)$/;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Every provider process started here and not yet exited: killed when the demo exits, however it exits. */
const running = new Set<ChildProcess>();

export function killAllProviders(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** A hello provider (examples/hello/provider.js) in a child process, known by a label. */
export class ProviderChild {
  readonly exited: Promise<Exit>;
  /** Resolves with the address it serves at, once it says so. */
  readonly ready: Promise<string>;
  private readonly child: ChildProcess;
  private exit: Exit | null = null;

  /** Spawns it; `log` gets what it prints. */
  constructor(readonly label: string, connectString: string, log: (line: string) => void) {
    const child = spawn(process.execPath, [PROVIDER, connectString], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    running.add(child);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      running.delete(child);
      this.exit = { code, signal };
      resolve(this.exit);
    }));
    createInterface({ input: child.stderr! }).on('line', (line) => log(`provider ${label} (stderr): ${line}`));
    this.ready = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => fail(`did not start within ${START_MS} ms`), START_MS);
      const fail = (why: string): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`provider ${label} ${why}`));
      };
      const onExit = (code: number | null): void => fail(`exited (${code}) before serving`);
      child.once('exit', onExit);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const m = SERVING.exec(line);
        if (m === null) return log(`provider ${label}: ${line}`);
        clearTimeout(timer);
        child.off('exit', onExit);
        log(`provider ${label}: pid ${child.pid}, serving Greeter at ${m[1]}`);
        resolve(m[1] as string);
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.exit === null;
  }

  /** SIGTERM: the provider shuts down gracefully (unregister, grace period, drain, close). */
  stop(): void {
    if (this.alive) this.child.kill('SIGTERM');
  }

  /** SIGKILL: gone at once, without a word to anyone. */
  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }
}
