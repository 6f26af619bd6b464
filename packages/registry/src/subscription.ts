import { EventEmitter } from 'node:events';
import type { InstanceFilter } from './instance-filter.js';
import type { Provider } from './instance-url.js';
import { applyOverrides } from './override.js';
import type { ListStatus, ServiceDirectory } from './service-directory.js';

export interface SubscriptionEvents {
  /** The list consumers should use now (matching version and group, overrides applied). */
  change: [providers: readonly Provider[]];
  status: [status: ListStatus];
}

const EMPTY: readonly Provider[] = Object.freeze([]);

function sameList(a: readonly Provider[], b: readonly Provider[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Provider;
    const y = b[i] as Provider;
    if (x !== y && (x.url !== y.url || x.weight !== y.weight)) return false;
  }
  return true;
}

/**
 * A consumer's live view of one service: `providers` is the current list, `on('change')`
 * tells each new one, and `for await (const list of sub)` yields the current list and then each
 * change (an iterator that falls behind gets the latest list, not every step). Lists are frozen
 * and sorted by URL. They never go empty because of an outage: see `status`.
 */
export class Subscription extends EventEmitter<SubscriptionEvents> implements AsyncIterable<readonly Provider[]> {
  private list: readonly Provider[] = EMPTY;
  private listStatus: ListStatus;
  /** Bumped on every change; an iterator remembers the last one it yielded. */
  private version = 0;
  private closed = false;
  private readonly wakers = new Set<() => void>();
  private readonly onChange = (): void => this.recompute();
  private readonly onStatus = (): void => this.recheckStatus();

  constructor(
    readonly service: string,
    readonly filter: InstanceFilter,
    private readonly dir: ServiceDirectory,
    private readonly release: () => Promise<void>,
  ) {
    super();
    this.listStatus = dir.status;
    dir.on('change', this.onChange);
    dir.on('status', this.onStatus);
    this.recompute();
  }

  get providers(): readonly Provider[] {
    return this.list;
  }

  get status(): ListStatus {
    return this.listStatus;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Stops updates, ends iterators and removes this consumer's node. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.dir.off('change', this.onChange);
    this.dir.off('status', this.onStatus);
    this.wake();
    await this.release();
  }

  [Symbol.asyncIterator](): AsyncIterator<readonly Provider[]> {
    let seen = -1;
    let ended = false;
    return {
      next: async () => {
        while (!this.closed && !ended && seen === this.version) {
          await new Promise<void>((resolve) => this.wakers.add(resolve));
        }
        if (this.closed || ended) return { done: true, value: undefined };
        seen = this.version;
        return { done: false, value: this.list };
      },
      return: async () => {
        ended = true;
        this.wake();
        return { done: true, value: undefined };
      },
    };
  }

  private recompute(): void {
    if (this.closed) return;
    const matching = this.dir.providers.filter((p) => this.filter.matches(p));
    const next = Object.freeze([...applyOverrides(matching, this.dir.overrides)]);
    this.recheckStatus();
    if (sameList(this.list, next)) return;
    this.list = next;
    this.version++;
    this.emit('change', next);
    this.wake();
  }

  private recheckStatus(): void {
    const s = this.dir.status;
    if (s === this.listStatus || this.closed) return;
    this.listStatus = s;
    this.emit('status', s);
  }

  private wake(): void {
    const wakers = [...this.wakers];
    this.wakers.clear();
    for (const w of wakers) w();
  }
}
