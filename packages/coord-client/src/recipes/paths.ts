import { Code, parentPath } from '@paddock/coord-protocol';
import { checkPath } from '../arguments.js';
import type { RecipeEnv } from './env.js';
import { isKeeperCode, unless, withRetry } from './retry.js';

/** Rejects an invalid recipe path at construction with the client's BadArguments error. */
export function recipePath(path: string): string {
  checkPath(path);
  return path;
}

/** Creates `path` and its missing ancestors as persistent nodes; existing ones are fine. */
export async function ensurePath(env: RecipeEnv, path: string): Promise<void> {
  if (path === '/') return;
  await withRetry(env, `create ${path}`, async () => {
    try {
      await env.client.create(path);
    } catch (err) {
      if (isKeeperCode(err, Code.NodeExists)) return;
      if (!isKeeperCode(err, Code.NoNode)) throw err;
      // Missing parent: ancestors first, then ours (recursion depth is the path depth).
      await ensurePath(env, parentPath(path));
      await unless(Code.NodeExists, env.client.create(path));
    }
  }, path);
}

/** A child created by a protected sequential create: `<kind>-<id>-<10-digit sequence>`. */
export interface SequencedNode {
  readonly name: string;
  readonly kind: string;
  readonly id: string;
  readonly seq: number;
}

/**
 * The name prefix of a protected sequential create. The id makes the node findable after a
 * create whose reply was lost (Curator's "protected" mode); the kind lets one directory hold
 * several sorts of contenders (read and write locks).
 */
export function protectedPrefix(kind: string, id: string): string {
  return `${kind}-${id}-`;
}

const SEQUENCED = /^([a-z]+)-(.+)-(\d{10})$/;

export function parseSequenced(name: string): SequencedNode | null {
  const m = SEQUENCED.exec(name);
  return m ? { name, kind: m[1]!, id: m[2]!, seq: Number(m[3]) } : null;
}

/** The children that are ours (of the given kinds), in creation order; foreign names are ignored. */
export function sortBySequence(names: readonly string[], kinds: ReadonlySet<string>): SequencedNode[] {
  const nodes: SequencedNode[] = [];
  for (const n of names) {
    const p = parseSequenced(n);
    if (p && kinds.has(p.kind)) nodes.push(p);
  }
  return nodes.sort((a, b) => a.seq - b.seq || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
