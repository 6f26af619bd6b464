import { CoordClient, type Op } from '@paddock/coord-client';

/** How big trees for the recovery and memory measurements are laid out and written. */
export interface BigTreeParams {
  /** Znodes under /r (plus one folder per thousand). */
  readonly znodes: number;
  /** Bytes of data per znode. */
  readonly dataBytes: number;
}

/** Creates per multi: one txn on both servers, well under jute.maxbuffer with 100-byte data. */
const PER_MULTI = 1000;
const FOLDER_FANOUT = 1000;
const SESSIONS = 4;
/** Multis in flight per session while populating; single writes in flight per session after. */
const MULTI_WINDOW = 2;
const WRITE_WINDOW = 32;

const folders = (p: BigTreeParams): number => Math.max(1, Math.ceil(p.znodes / FOLDER_FANOUT));
const nodePath = (p: BigTreeParams, i: number): string => `/r/d${i % folders(p)}/n${i}`;

/** Runs `count` ops over the sessions, `window` in flight on each. */
async function spread(clients: readonly CoordClient[], count: number, window: number, op: (c: CoordClient, i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const loop = async (c: CoordClient): Promise<void> => {
    for (let i = next++; i < count; i = next++) await op(c, i);
  };
  await Promise.all(clients.flatMap((c) => Array.from({ length: window }, () => loop(c))));
}

export async function openBigTreeSessions(connectString: string): Promise<CoordClient[]> {
  const clients: CoordClient[] = [];
  for (let i = 0; i < SESSIONS; i++) clients.push(await CoordClient.connect(connectString, { sessionTimeout: 30_000, maxQueuedRequests: 4096 }));
  return clients;
}

/** Writes the tree: /r, its folders and `znodes` nodes, in multis of a thousand creates. */
export async function populate(clients: readonly CoordClient[], p: BigTreeParams): Promise<void> {
  const data = Buffer.alloc(p.dataBytes, 0x62);
  await clients[0]!.create('/r', null);
  const dirs = folders(p);
  const dirMultis = Math.ceil(dirs / PER_MULTI);
  for (let m = 0; m < dirMultis; m++) {
    const ops: Op[] = [];
    for (let d = m * PER_MULTI; d < Math.min(dirs, (m + 1) * PER_MULTI); d++) ops.push({ type: 'create', path: `/r/d${d}`, data: null });
    await clients[0]!.multi(ops);
  }
  const multis = Math.ceil(p.znodes / PER_MULTI);
  await spread(clients, multis, MULTI_WINDOW, (c, m) => {
    const ops: Op[] = [];
    for (let i = m * PER_MULTI; i < Math.min(p.znodes, (m + 1) * PER_MULTI); i++) ops.push({ type: 'create', path: nodePath(p, i), data });
    return c.multi(ops);
  });
}

/** `count` setData txns on znodes spread over the whole tree. */
export async function rewrite(clients: readonly CoordClient[], p: BigTreeParams, count: number, tag: string): Promise<void> {
  const data = Buffer.alloc(p.dataBytes, 0x63);
  data.write(tag);
  // A fixed stride visits the tree evenly without a random source.
  const stride = 7919;
  await spread(clients, count, WRITE_WINDOW, (c, k) => c.setData(nodePath(p, (k * stride) % p.znodes), data));
}

export async function closeAll(clients: readonly CoordClient[]): Promise<void> {
  await Promise.allSettled(clients.map((c) => c.close()));
}
