/**
 * Disk faults injected at named points, so tests can show what the server does when its disk
 * fails in ways a test machine cannot produce on demand (EIO, EACCES as root). Set in the
 * environment of a server process:
 *
 *   PADDOCK_FAILPOINTS="txnlog.write=EIO@3,snapshot.write=EACCES"
 *
 * fails the third and every later txn log write with EIO, and every snapshot write with EACCES.
 * Unset (always, outside tests), `failpoint` is one test of a constant.
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

interface Armed {
  readonly code: string;
  readonly from: number;
  hits: number;
}

function parse(spec: string | undefined): Map<string, Armed> {
  const out = new Map<string, Armed>();
  for (const item of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z.]+)=([A-Z]+)(?:@(\d+))?$/.exec(item);
    if (!m || !(POINTS as readonly string[]).includes(m[1]!) || !ERRNO[m[2]!]) {
      throw new TypeError(
        `PADDOCK_FAILPOINTS: bad entry "${item}" (expected point=CODE[@n], points ${POINTS.join(', ')}, codes ${Object.keys(ERRNO).join(', ')})`,
      );
    }
    out.set(m[1]!, { code: m[2]!, from: Number(m[3] ?? 1), hits: 0 });
  }
  return out;
}

const armed = parse(process.env.PADDOCK_FAILPOINTS);

/** The error to fail with at this hit of `name`, or null (nearly always). */
export function failpoint(name: FailpointName): NodeJS.ErrnoException | null {
  if (armed.size === 0) return null;
  const p = armed.get(name);
  if (!p || ++p.hits < p.from) return null;
  return Object.assign(new Error(`${p.code}: ${ERRNO[p.code]}, ${name} (injected)`), { code: p.code, syscall: name });
}
