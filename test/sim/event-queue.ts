/** One thing due at a simulated time; `seq` breaks ties in the order things were scheduled. */
interface Due {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
  cancelled: boolean;
}

/** A handle to cancel what was scheduled (a timer re-armed, a connection closed). */
export interface Scheduled {
  cancelled: boolean;
}

/**
 * The simulation's agenda: a binary heap ordered by (time, sequence), so two runs of one
 * schedule pop the same events in the same order. Nothing here reads a real clock.
 */
export class EventQueue {
  private readonly heap: Due[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, run: () => void): Scheduled {
    if (!Number.isFinite(at)) throw new RangeError(`event time ${at} is not a finite number`);
    const due: Due = { at, seq: this.seq++, run, cancelled: false };
    const h = this.heap;
    h.push(due);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
    return due;
  }

  /** The next event not cancelled, taken off the agenda; undefined when none is left. */
  pop(): { at: number; run: () => void } | undefined {
    for (;;) {
      const top = this.take();
      if (!top) return undefined;
      if (!top.cancelled) return top;
    }
  }

  private take(): Due | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Due, b: Due): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
