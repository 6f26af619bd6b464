import { createHash } from 'node:crypto';
import { EventType, KeeperState, OpCode, errorName, type Stat } from '@paddock/coord-protocol';
import type { Received } from './raw-client.js';

/**
 * Turns what one run saw into a transcript that two servers can be compared on:
 *
 * - zxids become `z<rank>`: their rank among the distinct positive zxids of this transcript
 *   (equal zxids keep equal ranks, so "this failed write consumed a zxid" stays visible);
 *   0 and negative values are kept as numbers;
 * - a Stat becomes one line: `czxid:z3 mzxid:z5 pzxid:z3 ctime:@z3 mtime:@z5 ver:1 cver:0
 *   aver:0 owner:s1 len:2 kids:0`. A time is written `@z<rank>` ("the time of that txn") after
 *   checking that every stat agrees on the time of each zxid, that times grow with zxids and
 *   that they lie near the wall clock; a time failing a check is written `!<why>`;
 * - ephemeralOwner becomes the alias of the session that owns it, `0`, or its exact hex value
 *   (TTL and container markers are fixed values, so they must match bit for bit);
 * - paths under the scenario root are written `$/...`; children, ephemerals and whoAmI lists are
 *   sorted (ZooKeeper returns them in hash order, which no client may rely on).
 */

export class ZxidTag {
  constructor(readonly v: number) {}
}
class StatTag {
  constructor(readonly st: Stat) {}
}

export interface RawTranscript {
  readonly root: string;
  readonly steps: unknown[];
  readonly logs: Map<string, (Received | 'reconnect')[]>;
}

export interface Transcript {
  readonly steps: unknown[];
  /** Per connection alias: everything received, in order (`#3` = the reply to step 3). */
  readonly received: Record<string, string[]>;
}

const EVENT_NAMES = new Map<number, string>(Object.entries(EventType).map(([k, v]) => [v, k]));
const STATE_NAMES = new Map<number, string>(Object.entries(KeeperState).map(([k, v]) => [v, k]));
const OP_NAMES = new Map<number, string>(Object.entries(OpCode).map(([k, v]) => [v, k]));
/** Lists ZooKeeper builds from hash sets: their order carries no meaning. */
const UNORDERED = new Set(['children', 'ephemerals', 'clientInfo']);
/** Times further than this from the wall clock are reported as wrong. */
const TIME_SLACK_MS = 10 * 60 * 1000;

function renderData(b: Buffer | null): string {
  if (b === null) return 'null';
  const text = b.toString('utf8');
  if (b.length <= 64 && /^[\x20-\x7e]*$/.test(text)) return JSON.stringify(text);
  return `<${b.length} bytes sha1:${createHash('sha1').update(b).digest('hex').slice(0, 10)}>`;
}

function isStat(v: object): v is Stat {
  return 'czxid' in v && 'pzxid' in v && 'ephemeralOwner' in v;
}

/** Renders a decoded reply body; Stats stay tagged until the whole transcript is known. */
export function renderBody(v: unknown, key = ''): unknown {
  if (v === null || v === undefined) return v;
  if (Buffer.isBuffer(v)) return renderData(v);
  if (typeof v === 'bigint') return `0x${v.toString(16)}`;
  if (Array.isArray(v)) {
    const out = v.map((x) => renderBody(x, key));
    return UNORDERED.has(key) ? out.sort() : out;
  }
  if (typeof v !== 'object') return v;
  if (isStat(v)) return new StatTag(v);
  const o = v as Record<string, unknown>;
  if ('perms' in o && 'id' in o) {
    const id = o.id as { scheme: string; id: string };
    return `${String(o.perms)}:${id.scheme}:${id.id}`;
  }
  if ('authScheme' in o && 'user' in o) return `${String(o.authScheme)}:${String(o.user)}`;
  if ('type' in o && 'err' in o && 'body' in o) {
    // One result of a multi: its op (or "error") with the code and the rendered body.
    const type = o.type as number;
    const r: Record<string, unknown> = { op: OP_NAMES.get(type) ?? type };
    if (type === OpCode.error) r.err = errorName(o.err as number);
    if (o.body !== null) Object.assign(r, renderBody(o.body) as object);
    return r;
  }
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, renderBody(x, k)]));
}

class Normalizer {
  private readonly ranks = new Map<number, number>();
  private readonly timeOf = new Map<number, Set<number>>();
  private readonly now = Date.now();

  constructor(private readonly root: string, private readonly aliasOf: Map<bigint, string>, zxids: number[], stats: Stat[]) {
    [...new Set(zxids.filter((z) => z > 0))].sort((a, b) => a - b).forEach((z, n) => this.ranks.set(z, n + 1));
    for (const s of stats) {
      this.addTime(s.czxid, s.ctime);
      this.addTime(s.mzxid, s.mtime);
    }
  }

  private addTime(z: number, t: number): void {
    const set = this.timeOf.get(z) ?? new Set<number>();
    set.add(t);
    this.timeOf.set(z, set);
  }

  zxid(v: number): string | number {
    return v > 0 ? `z${this.ranks.get(v)}` : v;
  }

  time(t: number, z: number): string | number {
    if (t === 0) return 0;
    if (Math.abs(t - this.now) > TIME_SLACK_MS) return '!far-from-now';
    if ((this.timeOf.get(z)?.size ?? 0) > 1) return `!differs-between-stats-of-${this.zxid(z)}`;
    for (const [oz, ts] of this.timeOf) {
      for (const ot of ts) {
        if (ot === 0) continue;
        if ((oz < z && ot > t) || (oz > z && ot < t)) return `!out-of-order-with-${this.zxid(oz)}`;
      }
    }
    return `@${this.zxid(z)}`;
  }

  owner(o: bigint): string {
    if (o === 0n) return '0';
    return this.aliasOf.get(o) ?? `0x${BigInt.asUintN(64, o).toString(16)}`;
  }

  stat(s: Stat): string {
    return [
      `czxid:${this.zxid(s.czxid)}`, `mzxid:${this.zxid(s.mzxid)}`, `pzxid:${this.zxid(s.pzxid)}`,
      `ctime:${this.time(s.ctime, s.czxid)}`, `mtime:${this.time(s.mtime, s.mzxid)}`,
      `ver:${s.version}`, `cver:${s.cversion}`, `aver:${s.aversion}`, `owner:${this.owner(s.ephemeralOwner)}`,
      `len:${s.dataLength}`, `kids:${s.numChildren}`,
    ].join(' ');
  }

  path(p: string): string {
    if (p === this.root) return '$';
    return p.startsWith(this.root + '/') ? '$' + p.slice(this.root.length) : p;
  }

  value(v: unknown, key = ''): unknown {
    if (v instanceof ZxidTag) return this.zxid(v.v);
    if (v instanceof StatTag) return this.stat(v.st);
    if (typeof v === 'string') return key === 'path' || key === 'ephemerals' ? this.path(v) : v;
    if (Array.isArray(v)) return v.map((x) => this.value(x, key));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x, k)]));
    return v;
  }

  received(e: Received | 'reconnect', labels: Map<Received, string>): string {
    if (e === 'reconnect') return 'reconnect';
    switch (e.kind) {
      case 'connect': return 'connect';
      case 'close': return 'closed';
      case 'garbage': return `garbage(${e.bytes} bytes: ${e.error})`;
      case 'reply': return labels.get(e) ?? `unmatched reply xid=${e.xid} ${errorName(e.err)} zxid=${this.zxid(e.zxid)}`;
      case 'event': {
        const state = e.state === KeeperState.SyncConnected ? '' : ` state=${STATE_NAMES.get(e.state) ?? e.state}`;
        const err = e.err === 0 ? '' : ` err=${errorName(e.err)}`;
        return `${EVENT_NAMES.get(e.type) ?? `type${e.type}`} ${this.path(e.path)} zxid=${this.zxid(e.zxid)}${state}${err}`;
      }
    }
  }
}

/** Collects every zxid and Stat in the raw transcript, so ranks and time checks see them all. */
function collect(v: unknown, zxids: number[], stats: Stat[]): void {
  if (v instanceof ZxidTag) zxids.push(v.v);
  else if (v instanceof StatTag) {
    zxids.push(v.st.czxid, v.st.mzxid, v.st.pzxid);
    stats.push(v.st);
  } else if (Array.isArray(v)) for (const x of v) collect(x, zxids, stats);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x, zxids, stats);
}

export function normalize(raw: RawTranscript, labels: Map<Received, string>, aliasOf: Map<bigint, string>): Transcript {
  const zxids: number[] = [];
  const stats: Stat[] = [];
  collect(raw.steps, zxids, stats);
  for (const log of raw.logs.values()) {
    for (const e of log) if (e !== 'reconnect' && (e.kind === 'reply' || e.kind === 'event')) zxids.push(e.zxid);
  }
  const n = new Normalizer(raw.root, aliasOf, zxids, stats);
  const received: Record<string, string[]> = {};
  for (const [alias, log] of raw.logs) received[alias] = log.map((e) => n.received(e, labels));
  return { steps: raw.steps.map((s) => n.value(s)), received };
}
