import type { CoordClient, Logger, Stat } from '@paddock/coord-client';
import type { ListStatus, Provider, Registry, RegistryState, Subscription } from '@paddock/registry';
import { WAIT_MS, within } from '../client/waiting.js';

export { WAIT_MS };

/** Every list and status a subscription reported, in order, and waits on what comes next. */
export class ListRecorder {
  readonly lists: (readonly Provider[])[] = [];
  readonly statuses: ListStatus[] = [];
  /** `Date.now()` of each list, parallel to `lists`: for reporting latencies, never asserted. */
  readonly times: number[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(readonly sub: Subscription) {
    sub.on('change', (list) => {
      this.lists.push(list);
      this.times.push(Date.now());
      this.wake();
    });
    sub.on('status', (s) => {
      this.statuses.push(s);
      this.wake();
    });
  }

  /** Resolves with the current list as soon as it passes `match` (at once when it already does). */
  until(what: string, match: (list: readonly Provider[]) => boolean, ms = WAIT_MS): Promise<readonly Provider[]> {
    return this.wait(what, () => (match(this.sub.providers) ? this.sub.providers : undefined), ms);
  }

  /** Resolves once the list holds exactly these ports (order free). */
  untilPorts(ports: readonly number[], ms = WAIT_MS): Promise<readonly Provider[]> {
    const want = [...ports].sort((a, b) => a - b).join(',');
    return this.until(`ports [${want}]`, (l) => l.map((p) => p.port).sort((a, b) => a - b).join(',') === want, ms);
  }

  untilStatus(status: ListStatus, ms = WAIT_MS): Promise<ListStatus> {
    return this.wait(`status ${status}`, () => (this.sub.status === status ? status : undefined), ms);
  }

  /** True when some reported list was empty. */
  get sawEmpty(): boolean {
    return this.lists.some((l) => l.length === 0);
  }

  private wait<T>(what: string, probe: () => T | undefined, ms: number): Promise<T> {
    const now = probe();
    if (now !== undefined) return Promise.resolve(now);
    return within(what, (done) => {
      const wake = (): void => {
        const v = probe();
        if (v !== undefined) done(v);
      };
      this.wakers.add(wake);
      return () => this.wakers.delete(wake);
    }, ms);
  }

  private wake(): void {
    for (const w of [...this.wakers]) w();
  }
}

/** Waits for a registry to enter a state (at once when it is in it). */
export function registryState(registry: Registry, state: RegistryState, ms = WAIT_MS): Promise<RegistryState> {
  if (registry.state === state) return Promise.resolve(state);
  return within(`registry state ${state}`, (done) => {
    const on = (s: RegistryState): void => { if (s === state) done(s); };
    registry.on('state', on);
    return () => registry.off('state', on);
  }, ms);
}

/** Waits for the registry's next new session (generation above `after`). */
export function newSession(registry: Registry, after: number, ms = WAIT_MS): Promise<number> {
  if (registry.generation > after) return Promise.resolve(registry.generation);
  return within(`a session after generation ${after}`, (done) => {
    const on = (g: number): void => { if (g > after) done(g); };
    registry.on('session', on);
    return () => registry.off('session', on);
  }, ms);
}

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly msg: string | undefined;
}

/** A pino-shaped logger that keeps what it is told; `until()` waits for an entry. */
export class MemoryLogger implements Logger {
  readonly entries: LogEntry[] = [];
  private readonly wakers = new Set<() => void>();
  debug = this.at('debug');
  info = this.at('info');
  warn = this.at('warn');
  error = this.at('error');

  /** Entries at warn or above whose message contains `text`. */
  warnings(text: string): LogEntry[] {
    return this.entries.filter((e) => (e.level === 'warn' || e.level === 'error') && (e.msg ?? '').includes(text));
  }

  /** Resolves with the first entry (old or new) that passes `match`. */
  until(what: string, match: (e: LogEntry) => boolean, ms = WAIT_MS): Promise<LogEntry> {
    const found = this.entries.find(match);
    if (found) return Promise.resolve(found);
    return within(what, (done) => {
      const wake = (): void => {
        const e = this.entries.find(match);
        if (e) done(e);
      };
      this.wakers.add(wake);
      return () => this.wakers.delete(wake);
    }, ms);
  }

  private at(level: LogEntry['level']) {
    return (fields: Record<string, unknown>, msg?: string): void => {
      this.entries.push({ level, fields, msg });
      for (const w of [...this.wakers]) w();
    };
  }
}

/** Resolves once the node's Stat (null: missing) passes `match`, re-checking on each watch event. */
export function untilNode(raw: CoordClient, path: string, what: string, match: (stat: Stat | null) => boolean, ms = WAIT_MS): Promise<Stat | null> {
  return within(what, (done) => {
    let stopped = false;
    const check = (): void => {
      if (stopped) return;
      raw.exists(path, () => check()).then((stat) => { if (match(stat)) done(stat); }, () => undefined);
    };
    check();
    return () => { stopped = true; };
  }, ms);
}

/** Resolves with the children of `path` once they pass `match` (a missing node counts as no children). */
export function untilChildren(raw: CoordClient, path: string, what: string, match: (names: string[]) => boolean, ms = WAIT_MS): Promise<string[]> {
  return within(what, (done) => {
    let stopped = false;
    const check = (): void => {
      if (stopped) return;
      raw.getChildren(path, () => check()).then(
        (names) => { if (match(names)) done(names); },
        // Missing: wait for it to appear; created meanwhile: list it now (an exists watch on a node sees no children).
        () => raw.exists(path, () => check()).then((stat) => {
          if (stat) check();
          else if (match([])) done([]);
        }, () => undefined),
      );
    };
    check();
    return () => { stopped = true; };
  }, ms);
}
