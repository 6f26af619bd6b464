/**
 * Disk faults injected at named points, so tests can show what the server does when its disk
 * fails or crawls in ways a test machine cannot produce on demand (EIO, EACCES as root, a
 * slow fsync). Set in the environment of a server process:
 *
 *   PADDOCK_FAILPOINTS="txnlog.write=EIO@3,snapshot.write=EACCES,txnlog.fsync=sleep(200)"
 *
 * fails the third and every later txn log write with EIO, every snapshot write with EACCES,
 * and holds each txn log fsync 200 ms before it starts (a slow disk: batches grow, acks and
 * replies wait). Unset (always, outside tests), `failpoint` is one test of a constant.
 */
const POINTS = ['txnlog.write', 'txnlog.fsync', 'snapshot.write'] as const;
export type FailpointName = (typeof POINTS)[number];

const ERRNO: Readonly<Record<string, string>> = {
  EIO: 'i/o error',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EDQUOT: 'disk quota exceeded',
};

/** Bound on an injected sleep: a slow disk, not a hung one. */
const MAX_SLEEP_MS = 60_000;

interface Armed {
  /** The errno to fail with, or null for a sleep. */
  readonly code: string | null;
  readonly sleepMs: number;
  readonly from: number;
  hits: number;
}

function parse(spec: string | undefined): Map<string, Armed> {
  const out = new Map<string, Armed>();
  for (const item of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z.]+)=(?:([A-Z]+)|sleep\((\d+)\))(?:@(\d+))?$/.exec(item);
    const sleepMs = Number(m?.[3] ?? 0);
    if (!m || !(POINTS as readonly string[]).includes(m[1]!) || (m[2] !== undefined && !ERRNO[m[2]]) || sleepMs > MAX_SLEEP_MS) {
      throw new TypeError(
        `PADDOCK_FAILPOINTS: bad entry "${item}" (expected point=CODE[@n] or point=sleep(MS)[@n] with MS up to ${MAX_SLEEP_MS}, `
        + `points ${POINTS.join(', ')}, codes ${Object.keys(ERRNO).join(', ')})`,
      );
    }
    out.set(m[1]!, { code: m[2] ?? null, sleepMs, from: Number(m[4] ?? 1), hits: 0 });
  }
  return out;
}

const armed = parse(process.env.PADDOCK_FAILPOINTS);

/** The error to fail with at this hit of `name`, or null (nearly always). */
export function failpoint(name: FailpointName): NodeJS.ErrnoException | null {
  if (armed.size === 0) return null;
  const p = armed.get(name);
  if (!p || p.code === null || ++p.hits < p.from) return null;
  return Object.assign(new Error(`${p.code}: ${ERRNO[p.code]}, ${name} (injected)`), { code: p.code, syscall: name });
}

/** Milliseconds this hit of `name` waits before it goes ahead (a slow disk); 0 nearly always. */
export function failpointSleep(name: FailpointName): number {
  if (armed.size === 0) return 0;
  const p = armed.get(name);
  if (!p || p.code !== null || ++p.hits < p.from) return 0;
  return p.sleepMs;
}
