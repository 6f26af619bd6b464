import type { CacheChange, CacheCore } from '@paddock/coord-client/recipes';
import { within } from './support.js';

/** Records a cache's change events; waits, on those events, until a condition holds. */
export class CacheRecorder {
  readonly changes: CacheChange[] = [];

  constructor(private readonly cache: CacheCore) {
    cache.on('change', (c) => this.changes.push(c));
  }

  /** `type path=data` for each change so far, in order. */
  get log(): string[] {
    return this.changes.map((c) => `${c.type} ${c.node.path}=${c.node.data.toString()}`);
  }

  until(what: string, cond: () => boolean): Promise<void> {
    return within(what, (done) => {
      const check = (): void => { if (cond()) done(undefined); };
      this.cache.on('change', check);
      this.cache.on('refreshed', check);
      check();
      return () => {
        this.cache.off('change', check);
        this.cache.off('refreshed', check);
      };
    });
  }
}
