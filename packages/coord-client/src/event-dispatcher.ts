import type { Logger } from '@paddock/edges';
import type { WatchedEvent, Watcher } from './types.js';

/**
 * Runs watchers and state listeners after the current I/O callback, in arrival order (the
 * role of ZooKeeper's EventThread). Deferring to a microtask lets a promise resolved by the
 * same frame batch settle first, and a throwing watcher is logged instead of breaking the
 * connection's read loop.
 */
export class EventDispatcher {
  private queue: (() => void)[] = [];
  private scheduled = false;

  constructor(private readonly logger: Logger) {}

  deliver(event: WatchedEvent, watchers: Iterable<Watcher>): void {
    for (const w of watchers) this.run(() => w(event));
  }

  run(task: () => void): void {
    this.queue.push(task);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.drain());
    }
  }

  /** Runs `task` at once, out of order with the queue, logging what it throws. */
  runNow(task: () => void): void {
    try {
      task();
    } catch (err) {
      this.logger.error({ err }, 'watcher or state listener threw');
    }
  }

  private drain(): void {
    // Tasks queued while draining run in this same pass, still in order.
    for (let i = 0; i < this.queue.length; i++) this.runNow(this.queue[i]!);
    this.queue = [];
    this.scheduled = false;
  }
}
