import { OptionError, checkOption } from '@paddock/edges';
import type { Invocation } from '../call/invocation.js';
import type { Invoker } from '../call/invoker.js';
import { hash32 } from './hash.js';
import type { LoadBalanceOptions } from './load-balance.js';
import { LoadBalanceBase } from './load-balance-base.js';

const DEFAULT_NODES = 160;
const MAX_NODES = 1024;
const MAX_HASH_ARGUMENTS = 16;
const MAX_ARGUMENT_INDEX = 255;
/** Every this many picks, providers that were not candidates in any of them leave the ring. */
const FORGET_AFTER_PICKS = 4096;
/** Ring members at which absent providers are dropped at once rather than at the next sweep. */
const MAX_MEMBERS = 10_000;

/** A provider on the ring, by id; `invoker` is refreshed from each pick's candidates. */
interface Member {
  readonly id: string;
  readonly points: Uint32Array;
  invoker: Invoker;
  /** The pick number at which the provider was last a candidate. */
  stamp: number;
}

/**
 * Consistent hashing on a ring of virtual nodes (Dubbo's consistenthash): the key is made from
 * the chosen arguments, hashed onto the ring, and the first provider clockwise that is a
 * candidate takes the call. Every provider seen recently stays on the ring even while it is
 * unavailable or excluded; skipping it on the walk gives exactly the mapping of a ring built from
 * the current candidates, without rebuilding on every failover or outage. Adding one provider to
 * N moves about 1/(N+1) of the keys (only to it); removing one moves only its keys. Weights are
 * ignored. Points are sorted by (hash, id), so every consumer maps keys identically whatever the
 * order of its provider list.
 */
export class ConsistentHashLoadBalance extends LoadBalanceBase {
  readonly name = 'consistent-hash';
  private readonly argumentIndexes: readonly number[];
  private readonly nodes: number;
  private readonly members = new Map<string, Member>();
  private ringPoints = new Uint32Array(0);
  private ringOwners: Member[] = [];
  private dirty = false;
  private picks = 0;

  constructor(options: LoadBalanceOptions = {}) {
    super(options);
    const indexes = options.hashArguments ?? [0];
    const valid =
      indexes.length >= 1 &&
      indexes.length <= MAX_HASH_ARGUMENTS &&
      indexes.every((i) => Number.isInteger(i) && i >= 0 && i <= MAX_ARGUMENT_INDEX);
    if (!valid) {
      throw new OptionError('hashArguments', indexes, `must be 1..${MAX_HASH_ARGUMENTS} argument indexes in 0..${MAX_ARGUMENT_INDEX}`);
    }
    const nodes = checkOption.int('hashNodes', options.hashNodes ?? DEFAULT_NODES, 1, MAX_NODES);
    this.argumentIndexes = indexes.slice();
    this.nodes = nodes;
  }

  protected pick(candidates: readonly Invoker[], count: number, inv: Invocation): Invoker {
    const stamp = ++this.picks;
    for (let i = 0; i < count; i++) {
      const invoker = candidates[i];
      let member = this.members.get(invoker.id);
      if (member === undefined) member = this.join(invoker);
      member.invoker = invoker;
      member.stamp = stamp;
    }
    if (stamp % FORGET_AFTER_PICKS === 0 || this.members.size > MAX_MEMBERS) this.forget(stamp);
    if (this.dirty) this.rebuild();
    const points = this.ringPoints;
    const owners = this.ringOwners;
    const size = points.length;
    let at = lowerBound(points, hash32(this.keyOf(inv)));
    for (let step = 0; step < size; step++, at++) {
      if (at === size) at = 0;
      const owner = owners[at];
      if (owner.stamp === stamp) return owner.invoker;
    }
    return candidates[0]; // unreachable: every candidate has points on the ring
  }

  /** Providers on the ring, including recently absent ones (for tests). */
  get ringMembers(): number {
    return this.members.size;
  }

  /** The key: the chosen arguments as text, joined by U+0001. */
  keyOf(inv: Invocation): string {
    const indexes = this.argumentIndexes;
    if (indexes.length === 1) return argumentKey(inv.args[indexes[0]]);
    let key = argumentKey(inv.args[indexes[0]]);
    for (let k = 1; k < indexes.length; k++) key += '\u0001' + argumentKey(inv.args[indexes[k]]);
    return key;
  }

  private join(invoker: Invoker): Member {
    const points = new Uint32Array(this.nodes);
    for (let v = 0; v < this.nodes; v++) points[v] = hash32(`${invoker.id}#${v}`);
    const member: Member = { id: invoker.id, points, invoker, stamp: 0 };
    this.members.set(invoker.id, member);
    this.dirty = true;
    return member;
  }

  private forget(stamp: number): void {
    for (const [id, member] of this.members) {
      if (stamp - member.stamp >= FORGET_AFTER_PICKS || (this.members.size > MAX_MEMBERS && member.stamp !== stamp)) {
        this.members.delete(id);
        this.dirty = true;
      }
    }
  }

  private rebuild(): void {
    const members = [...this.members.values()];
    const nodes = this.nodes;
    const size = members.length * nodes;
    const order = new Uint32Array(size);
    for (let i = 0; i < size; i++) order[i] = i;
    const pointAt = (i: number): number => members[Math.floor(i / nodes)].points[i % nodes];
    const sorted = Array.from(order).sort((a, b) => {
      const d = pointAt(a) - pointAt(b);
      if (d !== 0) return d;
      const ia = members[Math.floor(a / nodes)].id;
      const ib = members[Math.floor(b / nodes)].id;
      return ia < ib ? -1 : ia > ib ? 1 : (a % nodes) - (b % nodes);
    });
    const points = new Uint32Array(size);
    const owners = new Array<Member>(size);
    for (let k = 0; k < size; k++) {
      const i = sorted[k];
      points[k] = pointAt(i);
      owners[k] = members[Math.floor(i / nodes)];
    }
    this.ringPoints = points;
    this.ringOwners = owners;
    this.dirty = false;
  }
}

/** First index whose point is >= h (points.length when none: the walk wraps to 0). */
function lowerBound(points: Uint32Array, h: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid] < h) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** An argument as key text: strings as they are, plain data as JSON, anything else via String. */
function argumentKey(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // cycles, BigInt inside
  }
}
