import { Code, KeeperError, type CoordClient, type WatchedEvent } from '@paddock/coord-client';
import { WAIT_MS } from '../support.js';

/** Bound on compare-and-set retries among readers changing the count together. */
const MAX_CAS = 1_000;

export type Side = 'java' | 'node';

/** One acquisition as its holder recorded it: the marker version after its entry orders all holds. */
export interface Hold {
  readonly side: Side;
  readonly kind: string;
  readonly version: number;
  /** Holders at entry, us included: 1 for exclusive holds, the reader count for shared ones. */
  readonly holders: number;
}

const isBadVersion = (err: unknown): boolean => err instanceof KeeperError && err.code === Code.BadVersion;

/**
 * The Node side of the marker protocol CuratorContender.java speaks: the marker node reads
 * "free", "W <side>" (one exclusive holder) or "R <n>" (n readers), and every change is a
 * versioned set. A holder that finds the marker in the wrong state, or loses a race with an
 * exclusive holder, has seen two holders at once: a violation. No clocks are involved.
 */
export class Marker {
  readonly violations: string[] = [];
  readonly holds: Hold[] = [];

  constructor(
    private readonly client: CoordClient,
    private readonly base: string,
    private readonly side: Side = 'node',
    private readonly other: Side = 'java',
  ) {}

  get lockPath(): string {
    return `${this.base}/lock`;
  }

  private get path(): string {
    return `${this.base}/marker`;
  }

  async enterExclusive(kind: string): Promise<void> {
    const { data, stat } = await this.client.getData(this.path);
    if (data.toString() !== 'free') this.violations.push(`${this.side} ${kind}: exclusive entry found the marker ${data.toString()}`);
    try {
      const after = await this.client.setData(this.path, `W ${this.side}`, stat.version);
      this.holds.push({ side: this.side, kind, version: after.version, holders: 1 });
    } catch (err) {
      if (!isBadVersion(err)) throw err;
      this.violations.push(`${this.side} ${kind}: the marker changed during an exclusive entry`);
    }
  }

  async leaveExclusive(kind: string): Promise<void> {
    const { data, stat } = await this.client.getData(this.path);
    if (data.toString() !== `W ${this.side}`) this.violations.push(`${this.side} ${kind}: exclusive exit found the marker ${data.toString()}`);
    try {
      await this.client.setData(this.path, 'free', stat.version);
    } catch (err) {
      if (!isBadVersion(err)) throw err;
      this.violations.push(`${this.side} ${kind}: the marker changed during an exclusive exit`);
    }
  }

  async enterShared(kind: string): Promise<void> {
    for (let i = 0; i < MAX_CAS; i++) {
      const { data, stat } = await this.client.getData(this.path);
      const seen = data.toString();
      if (seen.startsWith('W ')) this.violations.push(`${this.side} ${kind}: shared entry found the marker ${seen}`);
      const readers = seen.startsWith('R ') ? Number(seen.slice(2)) + 1 : 1;
      try {
        const after = await this.client.setData(this.path, `R ${readers}`, stat.version);
        this.holds.push({ side: this.side, kind, version: after.version, holders: readers });
        return;
      } catch (err) {
        if (!isBadVersion(err)) throw err; // else another reader counted itself first: read again
      }
    }
    throw new Error(`shared entry lost ${MAX_CAS} races in a row`);
  }

  async leaveShared(kind: string): Promise<void> {
    for (let i = 0; i < MAX_CAS; i++) {
      const { data, stat } = await this.client.getData(this.path);
      const seen = data.toString();
      if (!seen.startsWith('R ')) {
        this.violations.push(`${this.side} ${kind}: shared exit found the marker ${seen}`);
        return;
      }
      const readers = Number(seen.slice(2));
      try {
        await this.client.setData(this.path, readers <= 1 ? 'free' : `R ${readers - 1}`, stat.version);
        return;
      } catch (err) {
        if (!isBadVersion(err)) throw err;
      }
    }
    throw new Error(`shared exit lost ${MAX_CAS} races in a row`);
  }

  /**
   * Holds on until the other side has a node in the lock's directory (it waits behind us or
   * shares with us) or has finished: then a release always hands over and the turns alternate.
   */
  async waitForOther(): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      let wake!: () => void;
      const changed = new Promise<void>((resolve) => { wake = resolve; });
      const watcher = (e: WatchedEvent): void => { if (e.path !== null) wake(); };
      if ((await this.client.getChildren(this.lockPath, watcher)).length >= 2) return;
      if ((await this.client.exists(`${this.base}/done-${this.other}`, watcher)) !== null) return;
      const left = deadline - Date.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), Math.max(0, left)); });
      const outcome = await Promise.race([changed, late]).finally(() => clearTimeout(timer));
      if (outcome === 'late') throw new Error(`the ${this.other} side did not queue within ${WAIT_MS} ms`);
    }
  }

  /** Says that this side finished, so the other side's last holder stops waiting for us. */
  async finish(): Promise<void> {
    await this.client.create(`${this.base}/done-${this.side}`);
  }
}
