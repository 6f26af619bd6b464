/**
 * Runs an async task, and once more after it when asked again meanwhile: bursts of triggers
 * (watch events, reconnects) coalesce into few runs, and runs never overlap. The task should
 * handle its own errors; a rejection ends the current run and reaches its callers.
 */
export class Coalescer {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly task: () => Promise<void>) {}

  get busy(): boolean {
    return this.running !== null;
  }

  /** Resolves when no run is pending that started before or because of this call. */
  run(): Promise<void> {
    this.again = true;
    if (this.running === null) {
      // The flag is cleared inside the loop, with no await between the last check and the
      // exit, so a trigger can never fall into a gap and be lost.
      this.running = (async () => {
        try {
          while (this.again) {
            this.again = false;
            await this.task();
          }
        } finally {
          this.running = null;
        }
      })();
    }
    return this.running;
  }
}
