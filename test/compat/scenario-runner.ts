import { randomBytes } from 'node:crypto';
import { OpCode, errorName } from '@paddock/coord-protocol';
import { normalize, type RawTranscript, type Transcript, ZxidTag, renderBody } from './normalize.js';
import { RawClient, type Handshake, type Received, type Reply, type Target } from './raw-client.js';
import { LONG_SESSION, type Ctx, type OpStep, type P, type Scenario, type Step, type ZxidRef } from './steps.js';
import { cleanRoot, makeRoot } from './admin.js';

/**
 * Runs one scenario against one server and returns its normalized transcript. The same
 * scenario run against Apache ZooKeeper and against our server must give equal transcripts.
 *
 * Each scenario owns the root `/<slug of its name>`, created before its first step and removed,
 * with every session it opened, after its last one, so no scenario leaves work (a session to
 * expire, a container to reap) that could land a zxid in the middle of the next one.
 */

export interface RunLimits {
  /** Bound on waiting for one reply. */
  readonly replyMs: number;
  /** Bound on waiting for watch events, or for a session to expire and its connection to close. */
  readonly eventMs: number;
  /** Past this, remaining steps are recorded as not run, so a stuck server cannot stall a suite. */
  readonly scenarioMs: number;
}
const DEFAULT_LIMITS: RunLimits = { replyMs: 3000, eventMs: 5000, scenarioMs: 30_000 };

interface Session {
  readonly id: bigint;
  readonly passwd: Buffer;
  readonly alias: string;
}

export function rootOf(sc: Scenario): string {
  return '/' + sc.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

class Run implements Ctx {
  readonly steps: unknown[] = [];
  /** Connection alias -> every connection it had, in order. */
  readonly conns = new Map<string, RawClient[]>();
  /** Connection alias -> session it speaks for. */
  readonly sessionOf = new Map<string, Session>();
  readonly labels = new Map<Received, string>();

  constructor(readonly target: Target, readonly root: string, readonly limits: RunLimits) {}

  path(p: P): string {
    return typeof p === 'string' ? this.root + p : p.abs;
  }

  zxid(ref: ZxidRef): number {
    if (typeof ref === 'number') return ref;
    let max = 0;
    for (const c of this.conns.get(ref.lastSeenBy) ?? []) {
      for (const e of c.log) if ((e.kind === 'reply' || e.kind === 'event') && e.zxid > max) max = e.zxid;
    }
    return max;
  }

  conn(alias: string): RawClient {
    const all = this.conns.get(alias);
    const c = all?.[all.length - 1];
    if (!c) throw new Error(`scenario bug: no connection ${alias}`);
    return c;
  }

  async connect(alias: string, session: Session | null, opts: { timeOut: number; passwd?: Buffer | null; lastZxidSeen?: ZxidRef; readOnly?: boolean | null; sessionId?: bigint }): Promise<Handshake> {
    const { client, handshake } = await RawClient.open(this.target, {
      timeOut: opts.timeOut,
      sessionId: session?.id ?? opts.sessionId ?? 0n,
      passwd: opts.passwd === undefined ? session?.passwd ?? Buffer.alloc(16) : opts.passwd,
      lastZxidSeen: opts.lastZxidSeen === undefined ? 0 : this.zxid(opts.lastZxidSeen),
      readOnly: opts.readOnly,
      waitMs: this.limits.replyMs,
    });
    this.conns.set(alias, [...(this.conns.get(alias) ?? []), client]);
    return handshake;
  }

  record(i: string, s: string, what: Record<string, unknown>): void {
    this.steps.push({ '#': i, s, ...what });
  }
}

function handshakeRecord(h: Handshake, session: Session | null): Record<string, unknown> {
  if (h.kind !== 'connected') return { handshake: h.kind };
  const r = h.resp;
  const sid = r.sessionId === 0n ? '0' : session === null ? 'new' : r.sessionId === session.id ? 'same' : 'other';
  return {
    handshake: 'connected', timeOut: r.timeOut, session: sid, passwdBytes: r.passwd?.length ?? -1,
    ...(r.protocolVersion === 0 ? {} : { protocolVersion: r.protocolVersion }),
    ...(h.readOnly === false ? {} : { readOnly: h.readOnly }),
  };
}

/** A refused handshake (timeOut 0) is followed by the server hanging up: wait for it, bounded. */
async function hangUpAfterRefusal(run: Run, alias: string, h: Handshake): Promise<Record<string, unknown>> {
  if (h.kind !== 'connected' || h.resp.timeOut > 0) return {};
  return { closedAfter: await run.conn(alias).waitClosed(run.limits.replyMs) };
}

async function stepOpen(run: Run, i: string, st: Extract<Step, { k: 'open' }>): Promise<void> {
  const h = await run.connect(st.s, null, st);
  if (h.kind === 'connected' && h.resp.sessionId !== 0n) {
    run.sessionOf.set(st.s, { id: h.resp.sessionId, passwd: h.resp.passwd ?? Buffer.alloc(16), alias: st.s });
  }
  run.record(i, st.s, { do: st.passwd === null ? 'open null-passwd' : 'open', ...handshakeRecord(h, null), ...(await hangUpAfterRefusal(run, st.s, h)) });
}

async function stepResume(run: Run, i: string, st: Extract<Step, { k: 'resume' }>): Promise<void> {
  const session = run.sessionOf.get(st.s);
  if (!session) throw new Error(`scenario bug: ${st.s} has no session to resume`);
  const passwd = st.passwd === 'wrong' ? randomBytes(16) : st.passwd === 'null' ? null : session.passwd;
  const h = await run.connect(st.as, session, { timeOut: st.timeOut, passwd, ...(st.lastZxidSeen === undefined ? {} : { lastZxidSeen: st.lastZxidSeen }) });
  if (h.kind === 'connected' && h.resp.sessionId === session.id) run.sessionOf.set(st.as, session);
  run.record(i, st.as, {
    do: `resume ${st.s}${st.passwd === 'same' ? '' : ` ${st.passwd}-passwd`}`, ...handshakeRecord(h, session), ...(await hangUpAfterRefusal(run, st.as, h)),
  });
}

function replyRecord(st: OpStep, xid: number, out: Reply | { kind: 'closed' } | { kind: 'timeout' }): Record<string, unknown> {
  const base = { do: st.show };
  if (out.kind !== 'reply') return { ...base, err: out.kind === 'closed' ? 'connectionClosed' : 'noReply' };
  return {
    ...base,
    err: errorName(out.err),
    zxid: new ZxidTag(out.zxid),
    ...(out.xid === xid ? {} : { xid: out.xid }),
    ...(out.body === null ? {} : { res: renderBody(out.body) }),
    ...(out.bodyError ? { bodyError: out.bodyError } : {}),
    ...(out.extra ? { extraBytes: out.extraHex ?? out.extra } : {}),
  };
}

async function sendOps(run: Run, i: string, ops: readonly OpStep[]): Promise<void> {
  const c = run.conn(ops[0]!.s);
  const sent = ops.map((st) => {
    const xid = st.xid ?? (st.op === OpCode.ping ? -2 : c.allocXid());
    return { st, xid, reply: c.request(st.op, st.body(run), xid) };
  });
  for (const [j, { st, xid, reply }] of sent.entries()) {
    const label = ops.length === 1 ? i : `${i}.${j + 1}`;
    const out = await withTimeout(reply, run.limits.replyMs);
    if (out.kind === 'reply') run.labels.set(out, `#${label}`);
    const rec = replyRecord(st, xid, out);
    if (st.thenClosed && out.kind === 'reply') rec.closedAfter = await c.waitClosed(run.limits.replyMs);
    run.record(label, st.s, rec);
  }
}

async function stepRaw(run: Run, i: string, st: Extract<Step, { k: 'raw' }>): Promise<void> {
  const c = run.conn(st.s);
  const before = c.log.length;
  c.writeRaw(st.bytes);
  if (st.replies === 0) return run.record(i, st.s, { do: st.show });
  // Either replies/close arrive or the server waits for more bytes; both are outcomes.
  await c.waitUntil(() => c.log.length >= before + st.replies || c.isClosed, run.limits.replyMs);
  const got = c.log.slice(before).map((e) => {
    run.labels.set(e, `#${i}`);
    return e.kind === 'reply' ? `reply xid=${e.xid} ${errorName(e.err)}` : e.kind;
  });
  run.record(i, st.s, { do: st.show, got: got.length === 0 ? 'nothing' : got });
}

async function runStep(run: Run, i: string, st: Step): Promise<void> {
  switch (st.k) {
    case 'open': return stepOpen(run, i, st);
    case 'resume': return stepResume(run, i, st);
    case 'op': return sendOps(run, i, [st]);
    case 'batch': return sendOps(run, i, st.ops);
    case 'raw': return stepRaw(run, i, st);
    case 'drop': {
      const c = run.conn(st.s);
      c.destroy();
      await c.waitClosed(run.limits.replyMs);
      return run.record(i, st.s, { do: 'drop' });
    }
    case 'expire': {
      const closed = await run.conn(st.s).waitClosed(run.limits.eventMs);
      return run.record(i, st.s, { do: 'go silent until the server hangs up', closed });
    }
    case 'hangUp': {
      const closed = await run.conn(st.s).waitClosed(run.limits.replyMs);
      return run.record(i, st.s, { do: 'wait for the server to hang up', closed });
    }
    case 'waitEvents': {
      const c = run.conn(st.s);
      const ok = await c.waitUntil(() => c.log.filter((e) => e.kind === 'event').length >= st.count, run.limits.eventMs);
      return run.record(i, st.s, { do: `wait for ${st.count} events`, ok });
    }
    case 'sleep':
      await new Promise((r) => setTimeout(r, st.ms));
      return run.record(i, '-', { do: `sleep ${st.ms}` });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | { kind: 'timeout' }> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<{ kind: 'timeout' }>((r) => { timer = setTimeout(() => r({ kind: 'timeout' }), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/**
 * Ends the scenario: a ping on every live connection flushes events already queued for it (a
 * server sends those before the ping reply), then the logs are frozen.
 */
async function flush(run: Run): Promise<void> {
  await Promise.all([...run.conns.entries()].map(async ([alias, all]) => {
    const c = all[all.length - 1]!;
    if (c.isClosed) return;
    const out = await withTimeout(c.request(OpCode.ping, Buffer.alloc(0), -2), run.limits.replyMs);
    if (out.kind === 'reply') run.labels.set(out, '#end');
    else run.record('end', alias, { do: 'final ping', err: out.kind });
  }));
}

/** Closes every session the scenario opened (resuming dropped ones), so none expires later. */
async function closeAll(run: Run): Promise<void> {
  const sessions = new Map<bigint, Session>();
  for (const s of run.sessionOf.values()) sessions.set(s.id, s);
  await Promise.all([...sessions.values()].map(async (s) => {
    const { client, handshake } = await RawClient.open(run.target, { timeOut: LONG_SESSION, sessionId: s.id, passwd: s.passwd, waitMs: run.limits.replyMs });
    if (handshake.kind === 'connected' && handshake.resp.sessionId === s.id) {
      await withTimeout(client.request(OpCode.closeSession, Buffer.alloc(0)), run.limits.replyMs);
    }
    client.destroy();
    await client.waitClosed(run.limits.replyMs);
  }));
  for (const all of run.conns.values()) for (const c of all) c.destroy();
}

export async function runScenario(target: Target, sc: Scenario, limits: RunLimits = DEFAULT_LIMITS): Promise<Transcript> {
  const root = rootOf(sc);
  await makeRoot(target, root, limits.replyMs);
  const run = new Run(target, root, limits);
  const raw: RawTranscript = { steps: run.steps, logs: new Map(), root };
  try {
    const deadline = Date.now() + limits.scenarioMs;
    for (const [n, st] of sc.steps.entries()) {
      if (Date.now() > deadline) run.record(String(n + 1), 's' in st ? st.s : '-', { do: st.k, err: 'notRun (scenario over its time budget)' });
      else await runStep(run, String(n + 1), st);
    }
    await flush(run);
    // Frozen before cleanup: closing sessions below may still deliver events to open connections.
    for (const [alias, all] of run.conns) raw.logs.set(alias, all.flatMap((c, n) => [...(n > 0 ? ['reconnect' as const] : []), ...c.log]));
  } finally {
    await closeAll(run);
    await cleanRoot(target, root, limits.replyMs);
  }
  const aliasOf = new Map<bigint, string>();
  for (const s of run.sessionOf.values()) if (!aliasOf.has(s.id)) aliasOf.set(s.id, s.alias);
  return normalize(raw, run.labels, aliasOf);
}
