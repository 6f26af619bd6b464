import type { ClientState, CoordClient, WatchedEvent, Watcher } from '@paddock/coord-client';

/** Default bound on waiting for something that should happen promptly. */
export const WAIT_MS = 10_000;

/** Resolves with the first value `register` produces; rejects after `ms` naming what was awaited. */
export function within<T>(what: string, register: (done: (v: T) => void) => (() => void) | void, ms = WAIT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let cleanup: (() => void) | void;
    const timer = setTimeout(() => {
      cleanup?.();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    cleanup = register((v) => {
      clearTimeout(timer);
      cleanup?.();
      resolve(v);
    });
  });
}

/** Waits for the client to enter a state (resolves at once when already in it). */
export function stateReached(client: CoordClient, state: ClientState, ms = WAIT_MS): Promise<ClientState> {
  if (client.state === state) return Promise.resolve(state);
  return within(`state ${state}`, (done) => {
    const on = (s: ClientState): void => { if (s === state) done(s); };
    client.on('state', on);
    return () => client.off('state', on);
  }, ms);
}

/** A watcher that records what it sees; `next()` waits for the next event matching a filter. */
export class WatchRecorder {
  readonly events: WatchedEvent[] = [];
  private waiters: { match: (e: WatchedEvent) => boolean; done: (e: WatchedEvent) => void }[] = [];
  private seen = 0;
  readonly watcher: Watcher = (e) => {
    this.events.push(e);
    for (const w of [...this.waiters]) {
      if (w.match(e)) w.done(e);
    }
  };

  /** Waits for the next event after those already consumed that passes `match` (node events by default). */
  next(match: (e: WatchedEvent) => boolean = (e) => e.path !== null, ms = WAIT_MS): Promise<WatchedEvent> {
    for (let i = this.seen; i < this.events.length; i++) {
      const e = this.events[i]!;
      if (match(e)) {
        this.seen = i + 1;
        return Promise.resolve(e);
      }
    }
    return within('a watch event', (done) => {
      const entry = {
        match,
        done: (e: WatchedEvent) => {
          this.seen = this.events.indexOf(e) + 1;
          done(e);
        },
      };
      this.waiters.push(entry);
      return () => { this.waiters = this.waiters.filter((w) => w !== entry); };
    }, ms);
  }

  /** Node events only (connection-state events filtered out). */
  get nodeEvents(): WatchedEvent[] {
    return this.events.filter((e) => e.path !== null);
  }
}
