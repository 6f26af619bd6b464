import type { LinkRule } from './fault-net.js';
import type { LinkState } from './peer-proxy.js';

/** Both directions between every server of `a` and every server of `b`. */
function between(a: readonly number[], b: readonly number[], state: LinkState): LinkRule[] {
  return a.flatMap((x) => b.flatMap((y) => [{ from: x, to: y, state }, { from: y, to: x, state }]));
}

/** Symmetric: `side` and the rest hear nothing of each other. With the leader alone on its side: a minority leader. */
export function isolate(side: readonly number[], ids: readonly number[], state: Exclude<LinkState, 'pass'>): LinkRule[] {
  return between(side, ids.filter((id) => !side.includes(id)), state);
}

/**
 * One way: what `node` sends the others is dropped (`deaf: false`: the others cannot hear
 * it) or what they send it is (`deaf: true`: it cannot hear them); the other way passes.
 */
export function oneWay(node: number, ids: readonly number[], deaf: boolean): LinkRule[] {
  return ids.filter((id) => id !== node).map((other) => (deaf
    ? { from: other, to: node, state: 'drop' as const }
    : { from: node, to: other, state: 'drop' as const }));
}

/**
 * A bridge: `bridge` talks to everyone, the others are split in two halves that cannot talk
 * to each other (three servers: the two besides the bridge cannot).
 */
export function bridge(node: number, ids: readonly number[], state: Exclude<LinkState, 'pass'>): LinkRule[] {
  const others = ids.filter((id) => id !== node);
  const half = Math.ceil(others.length / 2);
  return between(others.slice(0, half), others.slice(half), state);
}
