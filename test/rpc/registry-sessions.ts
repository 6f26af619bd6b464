import { CoordClient } from '@paddock/coord-client';
import type { Registry, RegistryState } from '@paddock/registry';

/** What happened to one registry client's sessions: the same record for a provider process (its log) and a registry in this process (its events). */
export interface RegistryTrace {
  /** Each session in order: the first, then one per new session after an expiry. */
  readonly sessions: { readonly generation: number; readonly id: bigint }[];
  /** Every state change, in order. */
  readonly states: RegistryState[];
}

/**
 * A random source for a registry whose first session must open on the connect string's first
 * host: the client shuffles its hosts (Fisher-Yates from the last place down), and first draws
 * just under 1 leave every host in place; later draws (reconnect jitter, backoff) are random.
 * The provider fixture has its own copy (it runs on the built dist, not on this file).
 */
export function givenHostOrder(hosts: number): () => number {
  let left = hosts - 1;
  return () => (left-- > 0 ? 0.999999 : Math.random());
}

/** Follows a registry in this process from now on (its current session counts as the first). */
export function traceRegistry(registry: Registry): RegistryTrace {
  const trace: RegistryTrace = { sessions: [], states: [] };
  const session = (generation: number): void => {
    trace.sessions.push({ generation, id: registry.client?.sessionId ?? 0n });
  };
  session(registry.generation);
  registry.on('session', session);
  registry.on('state', (s) => trace.states.push(s));
  return trace;
}

/** The trace a provider fixture started with `traceRegistry: true` printed. */
export function traceFromLog(log: string): RegistryTrace {
  const trace: RegistryTrace = { sessions: [], states: [] };
  for (const m of log.matchAll(/^REGISTRY (session (\d+) (0x[0-9a-f]+)|state (\w+))$/gm)) {
    if (m[2] !== undefined) trace.sessions.push({ generation: Number(m[2]), id: BigInt.asIntN(64, BigInt(m[3]!)) });
    else trace.states.push(m[4] as RegistryState);
  }
  return trace;
}

/** One line for a report: the sessions and the state changes in order. */
export function describeTrace(t: RegistryTrace): string {
  const ids = t.sessions.map((s) => `#${s.generation} ${hex(s.id)}`).join(', ');
  return `sessions ${ids || 'none'}; states ${t.states.join(' > ') || 'none'}`;
}

export function hex(id: bigint): string {
  return `0x${BigInt.asUintN(64, id).toString(16)}`;
}

/** Bound on the children read under one parent (a registry test's lists are small). */
const MAX_CHILDREN = 1000;

/**
 * The ephemeral owner of each child of `parent`, read through a client of its own after a
 * sync (so a lagging member answers as the leader would). Children that vanish between the
 * list and their read are left out.
 */
export async function ephemeralOwners(connectString: string, parent: string): Promise<Map<string, bigint>> {
  const client = await CoordClient.connect(connectString, { sessionTimeout: 10_000 });
  try {
    await client.sync(parent);
    const names = await client.getChildren(parent);
    if (names.length > MAX_CHILDREN) throw new Error(`${parent} has ${names.length} children, more than the ${MAX_CHILDREN} read`);
    const owners = new Map<string, bigint>();
    for (const name of names) {
      const stat = await client.exists(`${parent}/${name}`);
      if (stat !== null) owners.set(name, stat.ephemeralOwner);
    }
    return owners;
  } finally {
    await client.close();
  }
}
