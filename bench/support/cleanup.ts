/** Undo steps run once, newest first; every step runs even when an earlier one fails. */
export class Cleanup {
  private readonly steps: (() => Promise<void>)[] = [];
  private running: Promise<void> | null = null;

  constructor() {
    active.add(this);
  }

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      const errors: unknown[] = [];
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        await step().catch((err: unknown) => { errors.push(err); });
      }
      active.delete(this);
      if (errors.length > 0) throw new AggregateError(errors, `${errors.length} cleanup step(s) failed`);
    })();
    return this.running;
  }
}

const active = new Set<Cleanup>();

/** Runs every cleanup not yet run (for a signal handler: Ctrl-C must not leave servers behind). */
export async function runActiveCleanups(): Promise<void> {
  await Promise.allSettled([...active].map((c) => c.run()));
}
