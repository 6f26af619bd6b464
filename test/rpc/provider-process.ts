import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { untilOutput } from '../../bench/support/child-output.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/provider.mjs', import.meta.url));
const START_MS = 20_000;
const STOP_MS = 20_000;

export interface ProviderConfig {
  readonly name?: string;
  readonly version?: string;
  /** The group the Greeter export serves (export() options; the contract says default). */
  readonly group?: string;
  readonly executes?: number;
  readonly exposeStack?: boolean;
  readonly weight?: number;
  readonly tcp?: Readonly<Record<string, number>>;
  readonly registry?: string;
  readonly root?: string;
  readonly graceMs?: number;
  readonly drainMs?: number;
  /** 'given': the registry's first session opens on the connect string's first host (default: a random one, as any client). */
  readonly hostOrder?: 'given';
  /** Print the registry's sessions and state changes (`REGISTRY session <generation> <id>`, `REGISTRY state <state>`). */
  readonly traceRegistry?: boolean;
}

/**
 * A provider child process (test/rpc/fixtures/provider.mjs on the built dist). Only processes
 * started here are ever signalled; `stopAll` kills the ones a test left running.
 */
export class ProviderProcess {
  private static readonly running = new Set<ProviderProcess>();
  readonly exited: Promise<number | null>;
  private output = '';

  private constructor(private readonly child: ChildProcess, readonly port: number) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => {
      ProviderProcess.running.delete(this);
      resolve(code);
    }));
    ProviderProcess.running.add(this);
  }

  static async start(config: ProviderConfig = {}): Promise<ProviderProcess> {
    const child = spawn(process.execPath, [FIXTURE, JSON.stringify({ host: '127.0.0.1', port: 0, ...config })], { stdio: ['ignore', 'pipe', 'pipe'] });
    const started = await untilOutput(child, /READY (\d+)/, START_MS).catch((err: Error) => {
      throw new Error(`provider did not start: ${err.message}`);
    });
    const text = started.text;
    const port = Number(started.match[1]);
    const p = new ProviderProcess(child, port);
    p.output = text;
    child.stdout?.on('data', (c: Buffer) => { p.output += c.toString(); });
    child.stderr?.on('data', (c: Buffer) => { p.output += c.toString(); });
    return p;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Everything the process printed. */
  get log(): string {
    return this.output;
  }

  /** SIGTERM: the fixture shuts down gracefully; resolves with the exit code. */
  async stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.bounded(this.exited, `provider ${this.pid} to exit after SIGTERM`);
  }

  pause(): void {
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.child.kill('SIGCONT');
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGCONT');
      this.child.kill('SIGKILL');
    }
  }

  static async stopAll(): Promise<void> {
    const all = [...ProviderProcess.running];
    for (const p of all) p.kill();
    await Promise.all(all.map((p) => p.exited));
  }

  private async bounded<T>(p: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}:\n${this.output}`)), STOP_MS);
    });
    try {
      return await Promise.race([p, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
