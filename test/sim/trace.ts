/** One line of the trace: when, which node (0: the fault injector), what happened (formatted only when printed). */
interface Entry {
  step: number;
  time: number;
  node: number;
  what: string;
  detail: string | (() => string);
}

/**
 * The last K events of a schedule, kept in a ring without building text on the hot path
 * (`detail` may be a function called only when the trace is printed): what a failing
 * schedule shows with its seed.
 */
export class Trace {
  private readonly ring: Entry[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  add(step: number, time: number, node: number, what: string, detail: string | (() => string) = ''): void {
    if (this.ring.length < this.capacity) {
      this.ring.push({ step, time, node, what, detail });
      return;
    }
    const e = this.ring[this.next]!;
    e.step = step;
    e.time = time;
    e.node = node;
    e.what = what;
    e.detail = detail;
    this.next = (this.next + 1) % this.capacity;
  }

  /** The entries, oldest first, one line each. */
  lines(): string[] {
    const ordered = [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return ordered.map((e) => {
      const detail = typeof e.detail === 'function' ? e.detail() : e.detail;
      const who = e.node >= 1000 ? `client ${e.node - 1000}` : e.node === 0 ? '--' : `s${e.node}`;
      return `#${e.step} t=${e.time.toFixed(3)} ${who} ${e.what}${detail ? ` ${detail}` : ''}`;
    });
  }
}
