/**
 * Bytes held on behalf of peers (incomplete frames, request bodies) over all of a provider's
 * connections, bounded: a taker that would pass the limit gets nothing, and its connection is
 * closed instead of the provider running out of memory.
 */
export class ByteBudget {
  private held = 0;

  constructor(readonly limit: number) {}

  get used(): number {
    return this.held;
  }

  /** Takes `n` bytes; false (and nothing taken) when that would pass the limit. */
  take(n: number): boolean {
    if (this.held + n > this.limit) return false;
    this.held += n;
    return true;
  }

  give(n: number): void {
    this.held -= n;
  }
}
