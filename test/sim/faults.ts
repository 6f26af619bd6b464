import type { Scheduled } from './event-queue.js';
import type { FaultKind } from './knobs.js';
import type { World } from './world.js';

interface Active {
  readonly kind: FaultKind;
  readonly undo: () => void;
  readonly end: Scheduled;
}

/**
 * Injects the schedule's faults: every `faultGapMs` or so (exponential), one of the enabled
 * kinds for about `faultMs`, undone when it ends or when the heal phase starts (healAll).
 * Partitions cut links per direction (symmetric, one-way, a minority around the leader, a
 * bridge whose middle server sees both sides); crashes restart the server on its disk; stalls
 * hold fsync completions; flaky links lose datagrams and reset connections.
 */
export class FaultInjector {
  private readonly active = new Set<Active>();
  private next: Scheduled | null = null;
  /** The scenario's steps not taken yet: the heal phase cancels them. */
  private readonly scripted: Scheduled[] = [];

  constructor(private readonly world: World) {}

  start(): void {
    if (this.world.knobs.scenario === 'lagging-highest') this.laggingHighest();
    this.randomFaults();
  }

  private randomFaults(): void {
    if (this.world.knobs.faults.length === 0) return;
    this.next = this.world.after(this.world.exp(this.world.knobs.faultGapMs), () => {
      this.inject(this.world.pick(this.world.knobs.faults));
      this.randomFaults();
    });
  }

  /**
   * The highest id, once a follower, is cut off from the others while they write on, then the
   * leader crashes, then both come back: an election that looked at ids before zxids would
   * pick the server that lags (and ZAB's leader refuses followers ahead of it, so nothing
   * would serve). It starts by crashing the first leader (the highest id, with every log
   * empty) so that another leads and the highest id rejoins as a follower. Each step is a
   * fault of its own, so the heal phase ends whichever are under way.
   */
  private laggingHighest(): void {
    const w = this.world;
    const highest = w.server(Math.max(...w.ids));
    const others = w.ids.filter((i) => i !== highest.id);
    const step = (at: number, what: () => void): void => {
      this.scripted.push(w.after(at, what));
    };
    step(300, () => {
      w.cov.bump('scenario:lagging-highest');
      this.hold('crash', () => highest.crash(), () => (highest.up ? undefined : highest.start()), 150 + w.rnd() * 100);
    });
    step(750 + w.rnd() * 100, () => {
      // The leader goes after syncLimit (the cut-off follower has left it by then); both the cut
      // and the crash end together a little later.
      const crashAt = 600 + w.rnd() * 200;
      const back = 50 + w.rnd() * 100;
      this.hold('partition', () => {}, this.cutBetween([highest.id], others), crashAt + back);
      step(crashAt, () => {
        const l = w.servers.find((s) => s.up && s.phase === 'leading' && s !== highest) ?? w.server(w.pick(others));
        w.cov.bump('scenario:lagging-highest:leader-crashed');
        this.hold('crash', () => l.crash(), () => (l.up ? undefined : l.start()), back);
      });
    });
  }

  /** A fault started now and undone after `ms` (or when the heal phase starts). */
  private hold(kind: FaultKind, start: () => void, undo: () => void, ms: number): void {
    start();
    this.world.trace.add(this.world.step, this.world.now, 0, `scenario ${kind}`);
    const a: Active = { kind, undo, end: this.world.after(ms, () => this.end(a)) };
    this.active.add(a);
  }

  /** Ends every fault now and injects no more; crashed servers and clients start again. */
  healAll(): void {
    if (this.next) this.next.cancelled = true;
    for (const s of this.scripted) s.cancelled = true;
    for (const a of [...this.active]) this.end(a);
  }

  private inject(kind: FaultKind): void {
    const undo = this.apply(kind);
    if (!undo) return;
    this.world.cov.bump(`fault:${kind}`);
    this.world.trace.add(this.world.step, this.world.now, 0, `fault ${kind}`);
    const a: Active = { kind, undo, end: this.world.after(this.world.exp(this.world.knobs.faultMs), () => this.end(a)) };
    this.active.add(a);
  }

  private end(a: Active): void {
    if (!this.active.delete(a)) return;
    a.end.cancelled = true;
    this.world.trace.add(this.world.step, this.world.now, 0, `heal ${a.kind}`);
    a.undo();
  }

  /** Starts a fault; its undo, or null when there is nothing to do it to. */
  private apply(kind: FaultKind): (() => void) | null {
    const w = this.world;
    switch (kind) {
      case 'crash': {
        const up = w.servers.filter((s) => s.up);
        if (up.length === 0) return null;
        // Half the time a server whose log has an unsynced tail, if one has: a crash that loses writes.
        const unsynced = up.filter((s) => s.disk.unsynced > 0);
        const s = w.pick(unsynced.length > 0 && w.rnd() < 0.5 ? unsynced : up);
        s.crash();
        return () => (s.up ? undefined : s.start());
      }
      case 'partition': {
        const [a, b] = this.split(w.ids);
        return this.cutBetween(a, b);
      }
      case 'oneway': {
        const from = w.pick(w.ids);
        const others = w.ids.filter((i) => i !== from);
        const to = w.rnd() < 0.5 ? [w.pick(others)] : others;
        for (const t of to) w.net.block(from, t);
        return () => { for (const t of to) w.net.unblock(from, t); };
      }
      case 'minority': return this.minorityLeader();
      case 'bridge': return this.bridge();
      case 'stall': {
        const s = w.pick(w.servers);
        s.disk.stall(w.now + w.exp(w.knobs.faultMs));
        return () => s.disk.unstall();
      }
      case 'flaky': {
        const id = w.pick(w.ids);
        w.net.setFlaky(id, 0.3 + 0.4 * w.rnd());
        return () => w.net.setFlaky(id, 0);
      }
      case 'clientCrash': {
        const c = w.pick(w.clients);
        c.crash(w.exp(w.knobs.faultMs));
        return () => {};
      }
    }
  }

  /** Two non-empty random groups. */
  private split(ids: readonly number[]): [number[], number[]] {
    const shuffled = this.world.shuffle(ids);
    const cut = 1 + Math.floor(this.world.rnd() * (shuffled.length - 1));
    return [shuffled.slice(0, cut), shuffled.slice(cut)];
  }

  private cutBetween(a: readonly number[], b: readonly number[]): () => void {
    const net = this.world.net;
    for (const x of a) for (const y of b) { net.block(x, y); net.block(y, x); }
    return () => { for (const x of a) for (const y of b) { net.unblock(x, y); net.unblock(y, x); } };
  }

  /** The leader (or whoever leads, if anyone) with fewer than half the others: it must stop acknowledging writes. */
  private minorityLeader(): () => void {
    const w = this.world;
    const leader = w.servers.find((s) => s.up && s.phase === 'leading')?.id ?? w.pick(w.ids);
    const others = w.shuffle(w.ids.filter((i) => i !== leader));
    const withIt = Math.floor(w.rnd() * Math.floor((w.ids.length - 1) / 2));
    return this.cutBetween([leader, ...others.slice(0, withIt)], others.slice(withIt));
  }

  /** One server sees both halves; the halves do not see each other. */
  private bridge(): () => void {
    const w = this.world;
    const middle = w.pick(w.ids);
    const [a, b] = this.split(w.ids.filter((i) => i !== middle));
    return this.cutBetween(a, b);
  }
}
