/**
 * What a schedule exercised (faults injected, syncs by kind, crashes that lost unsynced txns,
 * term ends that kept or reloaded state...): counters per schedule, summed over a run into
 * "how many schedules saw it at least once", so a run that finds nothing also shows whether
 * it looked.
 */
export class Coverage {
  readonly counts = new Map<string, number>();

  bump(what: string, n = 1): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + n);
  }

  get(what: string): number {
    return this.counts.get(what) ?? 0;
  }
}

/** Schedules that saw each counter at least once, over a run. */
export class CoverageTally {
  private readonly schedules = new Map<string, number>();
  private readonly totals = new Map<string, number>();
  runs = 0;

  add(c: Coverage): void {
    this.runs++;
    for (const [k, v] of c.counts) {
      if (v > 0) this.schedules.set(k, (this.schedules.get(k) ?? 0) + 1);
      this.totals.set(k, (this.totals.get(k) ?? 0) + v);
    }
  }

  fraction(what: string): number {
    return this.runs === 0 ? 0 : (this.schedules.get(what) ?? 0) / this.runs;
  }

  /** One line per counter: the share of schedules that saw it, and how often in all. */
  table(): string {
    const names = [...this.schedules.keys()].sort();
    const width = Math.max(...names.map((n) => n.length), 8);
    return names.map((n) => `${n.padEnd(width)} ${(100 * this.fraction(n)).toFixed(1).padStart(5)}% of schedules, ${this.totals.get(n)} in all`).join('\n');
  }
}
