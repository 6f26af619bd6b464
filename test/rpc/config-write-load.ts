import { ConfigCenter, type ConfigCenterConnectOptions, type ConfigUpdate } from '@paddock/registry';

const NAMESPACE = 'leader-kill';
const KEY = 'counter';
/** Pause after a failed write (the session reconnecting) before the next value. */
const RETRY_MS = 10;

/** What the writer and the watcher saw in one phase of the run. */
interface WritePhase {
  readonly name: string;
  acked: number;
  failed: number;
}

/**
 * Writes through the ensemble during the leader kills: one config center session sets a key to
 * 1, 2, 3, ... back to back (a failed write, ConnectionLoss during a failover, is given up and
 * the next value written), and another session, on another member, watches the key. Every
 * value acknowledged must stay: the key ends at the last value attempted or the last
 * acknowledged one, the watcher never sees the key go back, and it ends at the same value.
 */
export class ConfigWriteLoad {
  readonly phases: WritePhase[] = [];
  /** Every value the watcher was told, in order. */
  readonly seen: number[] = [];
  lastAcked = 0;
  lastAttempted = 0;
  private stopped = false;
  private running: Promise<void> | null = null;

  private constructor(private readonly writer: ConfigCenter, private readonly watcher: ConfigCenter) {}

  static async start(writerConnect: string, watcherConnect: string, opts: ConfigCenterConnectOptions): Promise<ConfigWriteLoad> {
    const writer = await ConfigCenter.connect(writerConnect, opts);
    const watcher = await ConfigCenter.connect(watcherConnect, opts);
    const load = new ConfigWriteLoad(writer, watcher);
    await writer.set(NAMESPACE, KEY, 0);
    await watcher.watch(NAMESPACE, KEY, (u: ConfigUpdate) => {
      if (u.kind === 'value' && typeof u.value === 'number') load.seen.push(u.value);
    });
    load.phase('warm-up');
    load.running = load.loop();
    return load;
  }

  phase(name: string): void {
    this.phases.push({ name, acked: 0, failed: 0 });
  }

  /** Acknowledged writes in the phase of this name (0 when there is none). */
  ackedIn(name: string): number {
    return this.phases.find((p) => p.name === name)?.acked ?? 0;
  }

  /** Stops writing, waits for the last write, then for the watcher to be told the key's final value; returns it. */
  async stop(boundMs: number): Promise<number> {
    this.stopped = true;
    await this.running;
    const final = await this.writer.get(NAMESPACE, KEY);
    const deadline = Date.now() + boundMs;
    while (this.seen.at(-1) !== final && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await this.watcher.close();
    await this.writer.close();
    return typeof final === 'number' ? final : Number.NaN;
  }

  /** Values the watcher was told that are lower than one told before it. */
  wentBack(): number[] {
    return this.seen.filter((v, i) => i > 0 && v < this.seen[i - 1]!);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const value = ++this.lastAttempted;
      const phase = this.phases.at(-1)!;
      try {
        await this.writer.set(NAMESPACE, KEY, value);
        this.lastAcked = value;
        phase.acked++;
      } catch {
        phase.failed++;
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }
}
