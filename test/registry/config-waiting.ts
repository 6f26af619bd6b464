import type { ConfigListener, ConfigUpdate } from '@paddock/registry';
import { within } from '../client/waiting.js';

/** A config listener that records what it hears; `next()` waits for the next update matching a filter. */
export class UpdateRecorder {
  readonly updates: ConfigUpdate[] = [];
  private seen = 0;
  private waiters = new Set<() => void>();

  readonly listener: ConfigListener = (u) => {
    this.updates.push(u);
    for (const wake of [...this.waiters]) wake();
  };

  /** The next update not yet consumed that passes `match` (any by default); earlier ones are skipped. */
  next(match: (u: ConfigUpdate) => boolean = () => true): Promise<ConfigUpdate> {
    const take = (): ConfigUpdate | undefined => {
      for (; this.seen < this.updates.length; this.seen++) {
        const u = this.updates[this.seen]!;
        if (match(u)) {
          this.seen++;
          return u;
        }
      }
      return undefined;
    };
    const now = take();
    if (now) return Promise.resolve(now);
    return within('a config update', (done) => {
      const wake = (): void => {
        const u = take();
        if (u) done(u);
      };
      this.waiters.add(wake);
      return () => this.waiters.delete(wake);
    });
  }

  /** The next update that carries a value, and that value. */
  async nextValue(): Promise<unknown> {
    const u = await this.next((x) => x.kind === 'value');
    return u.kind === 'value' ? u.value : undefined;
  }
}

/** Resolves with the next event an emitter emits (its arguments), bounded like every wait in the suite. */
export function nextEvent<A extends unknown[]>(
  emitter: { once(event: string, fn: (...args: A) => void): unknown; off(event: string, fn: (...args: A) => void): unknown },
  event: string,
): Promise<A> {
  return within(`event ${event}`, (done) => {
    const fn = (...args: A): void => done(args);
    emitter.once(event, fn);
    return () => emitter.off(event, fn);
  });
}
