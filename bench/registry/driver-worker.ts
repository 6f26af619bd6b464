import { fork, type ChildProcess } from 'node:child_process';
import type { ChildrenWatchMode } from '@paddock/registry';
import { compiledBenchScript } from '../support/compiled-script.js';
import type { FromWorker, ToWorker } from './driver-protocol.js';

type Waiter = { readonly matches: (m: FromWorker) => boolean; readonly resolve: (m: FromWorker) => void; readonly reject: (e: Error) => void };

/** The parent's handle on one consumer-worker process: waits for its messages; a dead worker fails every wait. */
export class DriverWorker {
  private readonly waiters = new Set<Waiter>();
  private failure: Error | null = null;
  private constructor(readonly child: ChildProcess, readonly consumers: number) {
    child.on('message', (m: FromWorker) => {
      if (m.kind === 'failed') return this.fail(new Error(`consumer worker ${child.pid}: ${m.message}`));
      for (const w of this.waiters) {
        if (!w.matches(m)) continue;
        this.waiters.delete(w);
        w.resolve(m);
        return;
      }
    });
    child.on('exit', (code, signal) => this.fail(new Error(`consumer worker ${child.pid} exited (${signal ?? code})`)));
  }

  /** Forks a worker holding `consumers` sessions following `service`; resolves once they all list `base` providers. */
  static async start(connectString: string, consumers: number, service: string, base: number, watchMode: ChildrenWatchMode = 'auto'): Promise<DriverWorker> {
    const child = fork(compiledBenchScript(import.meta.url, 'consumer-worker.js'), [connectString, String(consumers), service, String(base), watchMode], {
      env: { ...process.env, PADDOCK_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const worker = new DriverWorker(child, consumers);
    try {
      await worker.next((m) => m.kind === 'ready');
    } catch (err) {
      worker.kill();
      throw err;
    }
    return worker;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(m: ToWorker): void {
    if (this.failure) throw this.failure;
    this.child.send(m);
  }

  next<K extends FromWorker>(matches: (m: FromWorker) => m is K): Promise<K>;
  next(matches: (m: FromWorker) => boolean): Promise<FromWorker>;
  next(matches: (m: FromWorker) => boolean): Promise<FromWorker> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.add({ matches, resolve, reject }));
  }

  /** Asks the worker to close its sessions and exit; kills it if it has not within a few seconds. */
  async stop(): Promise<void> {
    if (this.failure) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.kill(), 5000);
    try {
      this.child.send({ kind: 'close' } satisfies ToWorker);
    } catch {
      this.kill();
    }
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiters) w.reject(this.failure);
    this.waiters.clear();
  }
}
