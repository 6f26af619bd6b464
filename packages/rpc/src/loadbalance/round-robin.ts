import type { Invoker } from '../call/invoker.js';
import { LoadBalanceBase } from './load-balance-base.js';

/** A provider's running score ("current weight" in nginx's smooth weighted round robin). */
interface Slot {
  current: number;
  /** The pick number at which the provider was last a candidate. */
  seen: number;
}

/** Every this many picks, providers not seen in any of them lose their slot (and start from 0 if they return). */
const FORGET_AFTER_PICKS = 4096;

/**
 * Smooth weighted round robin, the algorithm nginx uses for upstream peers. On every pick each
 * candidate's score grows by its weight, the highest score wins, and the winner's score drops by
 * the total weight. Over any run of `total` picks each provider is chosen `weight` times, and
 * its picks are spread out rather than bunched (weights 5,1,1 give a a b a c a a). Weight-0
 * providers take no calls unless all weights are 0, when it degrades to plain round robin.
 * One sequence per reference, shared by all its methods.
 */
export class RoundRobinLoadBalance extends LoadBalanceBase {
  readonly name = 'round-robin';
  private readonly slots = new Map<string, Slot>();
  private picks = 0;

  protected pick(candidates: readonly Invoker[], count: number): Invoker {
    const total = this.loadWeights(candidates, count);
    const plain = !(total > 0);
    const weights = this.weights;
    const picks = ++this.picks;
    let best = -1;
    let bestSlot: Slot | undefined;
    for (let i = 0; i < count; i++) {
      const weight = plain ? 1 : weights[i];
      if (weight <= 0) continue;
      const id = candidates[i].id;
      let slot = this.slots.get(id);
      if (slot === undefined) {
        slot = { current: 0, seen: picks };
        this.slots.set(id, slot);
      }
      slot.seen = picks;
      slot.current += weight;
      // Strictly greater: on a tie the earlier candidate wins, as in nginx.
      if (bestSlot === undefined || slot.current > bestSlot.current) {
        best = i;
        bestSlot = slot;
      }
    }
    bestSlot!.current -= plain ? count : total;
    if (picks % FORGET_AFTER_PICKS === 0) this.forget(picks);
    return candidates[best];
  }

  /** Number of providers holding a slot (bounded by forgetting; for tests). */
  get tracked(): number {
    return this.slots.size;
  }

  private forget(picks: number): void {
    for (const [id, slot] of this.slots) if (picks - slot.seen >= FORGET_AFTER_PICKS) this.slots.delete(id);
  }
}
