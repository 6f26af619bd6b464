import { setTimeout as sleep } from 'node:timers/promises';
import { RpcError, type RpcProxy } from '@paddock/rpc';
import type { Greeter } from '../hello/greeter.js';

const FROM = /from provider (\d+)$/;
/** A pause after each call, so the demo shows a steady flow without eating a core. */
const PAUSE_MS = 5;
const MAX_FAILURES_SHOWN = 5;

export interface Window {
  readonly answers: ReadonlyMap<string, number>;
  readonly failed: number;
}

/** Callers calling Greeter.hello in a loop, counting answers by the provider's label. */
export class Traffic {
  readonly total = new Map<string, number>();
  private window = new Map<string, number>();
  failed = 0;
  private windowFailed = 0;
  private stopping = false;
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly greeter: RpcProxy<Greeter>,
    private readonly labelOf: (pid: number) => string,
    private readonly log: (line: string) => void,
  ) {}

  start(callers: number): void {
    for (let i = 0; i < callers; i++) this.loops.push(this.loop(i));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  count(label: string): number {
    return this.total.get(label) ?? 0;
  }

  get calls(): number {
    let n = this.failed;
    for (const v of this.total.values()) n += v;
    return n;
  }

  /** The answers since the last call of it, by label, and the failures. */
  takeWindow(): Window {
    const w = { answers: this.window, failed: this.windowFailed };
    this.window = new Map();
    this.windowFailed = 0;
    return w;
  }

  private async loop(caller: number): Promise<void> {
    for (let i = 0; !this.stopping; i++) {
      try {
        const answer = await this.greeter.hello(`caller-${caller}`);
        const label = this.labelOf(Number(FROM.exec(answer)?.[1] ?? -1));
        this.total.set(label, (this.total.get(label) ?? 0) + 1);
        this.window.set(label, (this.window.get(label) ?? 0) + 1);
      } catch (err) {
        this.failed++;
        this.windowFailed++;
        if (this.failed <= MAX_FAILURES_SHOWN) this.log(`call failed: ${err instanceof RpcError ? `${err.code} ` : ''}${err instanceof Error ? err.message : String(err)}`);
      }
      await sleep(PAUSE_MS);
    }
  }
}
