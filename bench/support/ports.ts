import { createServer } from 'node:net';

/**
 * Ports are picked below Linux's ephemeral range (32768 and up): a port the kernel handed out
 * for "any free port" is one it may soon give to an outgoing connection as its local port, and
 * tests that reserve a port and bind it later (ensemble members, whose config lists every
 * member's ports) then find it taken. Random picks between processes rarely meet.
 */
const LOW = 20_000;
const HIGH = 32_000;
const TRIES = 50;
/**
 * Each vitest worker (VITEST_POOL_ID 1, 2, …) picks from a slice of its own, so test files
 * running at once never reserve the same port (an ensemble's members bind theirs seconds after
 * the pick); outside vitest the whole range is used.
 */
const SLICES = 6;
const SLICE = Math.floor((HIGH - LOW) / SLICES);
/** Ports this process handed out already: none is given twice while it has others to give. */
const given = new Set<number>();

function range(): { low: number; size: number } {
  const pool = Number(process.env.VITEST_POOL_ID);
  if (!Number.isInteger(pool) || pool < 1) return { low: LOW, size: HIGH - LOW };
  return { low: LOW + ((pool - 1) % SLICES) * SLICE, size: SLICE };
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A loopback port that was free a moment ago, not handed out by this process before. */
export async function freePort(): Promise<number> {
  const { low, size } = range();
  if (given.size >= size / 2) given.clear();
  for (let i = 0; i < TRIES; i++) {
    const port = low + Math.floor(Math.random() * size);
    if (given.has(port) || !(await canBind(port))) continue;
    given.add(port);
    return port;
  }
  throw new Error(`no free loopback port found in ${low}..${low + size - 1} after ${TRIES} tries`);
}
