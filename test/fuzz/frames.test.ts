import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Code, JuteReader, OpCode, decodeMultiResponse, isKnownCode, joinPath, pathError,
} from '@paddock/coord-protocol';
import { startPaddock } from '../support/paddock.js';
import { fourLetter, skipWithoutZooKeeper, startZooKeeper, type PeerServer } from '../support/zookeeper.js';
import { garbageRequest, validConversation, type Garbage } from './generators.js';
import {
  BYSTANDER_PATH, Bystander, FUZZ_ROOT, aliveConnections, assertServing, connectionsBackTo, settledMemory,
} from './invariants.js';
import { skipWithoutPaddock } from './peers.js';
import {
  RawConn, RawSession, connectFrame, decode, encode, lyingFrame, parseReply, requestFrame, type Reply,
} from './wire.js';

/**
 * Hostile bytes on the client port: random streams, frames cut at every byte, length prefixes
 * that lie, garbage requests inside a valid session, thousands of short connections. After
 * each batch the server must still serve, a bystander session opened before the fuzzing must
 * be untouched, connections must be released, and (in-process) memory must stay bounded.
 *
 * Seeds are fixed (FUZZ_SEED overrides the base); a failing property prints its seed and path.
 */
const BASE_SEED = Number(process.env.FUZZ_SEED ?? 20_261_121);
/** How long the server may take to close a connection it should close. */
const CLOSE_MS = 5_000;
const MAX_BUFFER = 0xfffff;
/** Heap + Buffer growth allowed over the whole run, after GC (about 8 MiB is typical). */
const MEMORY_BOUND = 32 * 1024 * 1024;
/** Growth allowed across a further 2,000 closed connections (noise is a few MiB): 8 KiB leaked per connection exceeds it. */
const PER_BATCH_BOUND = 16 * 1024 * 1024;

interface Target {
  readonly start: () => Promise<PeerServer>;
  /** Multiplies run counts: the reference peer only needs to confirm what we assert. */
  readonly scale: number;
  /** The server runs in this process, so its memory can be measured here. */
  readonly inProcess: boolean;
}

async function property<T>(name: string, seedOffset: number, arb: fc.Arbitrary<T>, runs: number, budgetMs: number,
  body: (v: T) => Promise<void>): Promise<void> {
  try {
    await fc.assert(fc.asyncProperty(arb, body), {
      seed: BASE_SEED + seedOffset, numRuns: runs, interruptAfterTimeLimit: budgetMs, endOnFailure: true,
    });
  } catch (e) {
    throw new Error(`${name} failed; replay with FUZZ_SEED=${BASE_SEED}\n${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** Writes the chunks (yielding between them so they travel apart) and collects every reply until the server closes. */
async function converse(port: number, chunks: Buffer[]): Promise<{ xid: number; err: number }[]> {
  const c = await RawConn.open(port);
  try {
    for (const [i, chunk] of chunks.entries()) {
      if (i > 0) await new Promise((r) => setImmediate(r));
      c.write(chunk);
    }
    const replies: { xid: number; err: number }[] = [];
    if (!(await c.nextFrame(CLOSE_MS))) return replies; // the ConnectResponse
    for (let f = await c.nextFrame(CLOSE_MS); f; f = await c.nextFrame(CLOSE_MS)) {
      const r = parseReply(f);
      replies.push({ xid: r.xid, err: r.err });
    }
    return replies;
  } finally {
    c.destroy();
  }
}

/** Replies that arrived for a garbage request, then the probe's reply (null once the server closed). */
async function answersUntil(s: RawSession, probeXid: number): Promise<{ before: Reply[]; probe: Reply | null }> {
  const before: Reply[] = [];
  for (;;) {
    const f = await s.conn.nextFrame(CLOSE_MS);
    if (!f) return { before, probe: null };
    const r = parseReply(f);
    if (r.xid === -1) continue; // a watch fired by some garbage addWatch/exists
    if (r.xid === probeXid) return { before, probe: r };
    before.push(r);
  }
}

/** What ZooKeeper 3.8 answers to one garbage request (checked by running this file against it). */
function checkAnswer(g: Garbage, gx: number, before: Reply[], probe: Reply | null, closeTolerated: boolean): void {
  const what = `${g.kind} op ${g.type} body ${g.body.toString('hex').slice(0, 80)}`;
  expect(before.length, `${what}: more than one answer`).toBeLessThanOrEqual(1);
  // After a closeSession (whatever its body) the session is gone: SessionExpired, or a close.
  const probeOk = g.type === OpCode.closeSession ? [Code.OK, Code.SessionExpired] : [Code.OK];
  if (probe) expect(probeOk, `${what}: the next request failed with ${probe.err}`).toContain(probe.err);
  // ZooKeeper answers an in-session createSession op with junk (xid 0, a nonsense code): only survival counts.
  if (g.type === OpCode.createSession) return;
  const answer = before[0];
  if (answer) {
    // A ping is answered with the ping xid whatever xid it carried.
    expect([gx, ...(g.type === OpCode.ping ? [-2] : [])], what).toContain(answer.xid);
    expect(isKnownCode(answer.err), `${what}: unknown error code ${answer.err}`).toBe(true);
    if (g.kind === 'unknown-op') expect(answer.err, what).toBe(Code.Unimplemented);
    if (g.kind === 'truncated') expect(answer.err, what).toBe(Code.MarshallingError);
    if (g.kind === 'trailing-junk') expect(answer.err, what).not.toBe(Code.MarshallingError);
    if (g.kind === 'bad-path' && g.write) expect([Code.BadArguments, Code.NoNode], what).toContain(firstError(g, answer));
  }
  // Well-framed requests of a known op never cost the connection, however wrong their content.
  if (!closeTolerated && !mayClose(g)) {
    expect(probe, `${what}: the server closed the connection`).not.toBeNull();
    expect(answer, `${what}: no answer`).toBeDefined();
  }
}

/**
 * Unknown ops and random bodies may cost the connection. ZooKeeper closes it lazily (after
 * answering Unimplemented, it may still answer a request or two), so once such a request was
 * sent, a close is tolerated for the rest of that session.
 */
function mayClose(g: Garbage): boolean {
  return g.kind === 'unknown-op' || g.kind === 'random-body';
}

/** The error a write failed with; a failed multi has err 0 in its header and the codes in its results. */
function firstError(g: Garbage, answer: Reply): number {
  if (g.type !== OpCode.multi || answer.err !== Code.OK) return answer.err;
  const results = decodeMultiResponse(new JuteReader(answer.body));
  for (const r of results) expect(isKnownCode(r.err), `multi result code ${r.err}`).toBe(true);
  return results.find((r) => r.err !== Code.OK)?.err ?? Code.OK;
}

/** Every node in the tree, breadth-first (bounded); used to prove no invalid path was ever created. */
async function allPaths(port: number, limit = 5_000): Promise<string[]> {
  const s = await RawSession.open(port);
  try {
    const seen: string[] = [];
    for (const queue = ['/']; queue.length > 0 && seen.length < limit;) {
      const path = queue.shift()!;
      seen.push(path);
      const r = await s.call(OpCode.getChildren, encode('GetChildrenRequest', { path, watch: false }));
      if (r?.err === Code.OK) queue.push(...decode('GetChildrenResponse', r.body).children.map((c) => joinPath(path, c)));
    }
    return seen;
  } finally {
    await s.close();
  }
}

function frameFuzzSuite(target: Target): void {
  let peer: PeerServer;
  let bystander: Bystander;
  let ruok = false;
  let baselineConnections: number | null = null;
  let baselineMemory = 0;
  const runs = (n: number): number => Math.max(1, Math.round(n * target.scale));

  beforeAll(async () => {
    peer = await target.start();
    bystander = await Bystander.open(peer.port);
    ruok = (await fourLetter(peer.port, 'ruok').catch(() => '')) === 'imok';
    if (!ruok) console.warn('[fuzz] the server does not answer ruok; liveness is probed with a session only');
    baselineConnections = await aliveConnections(peer.port);
    if (baselineConnections === null) console.warn('[fuzz] the server does not report connections (mntr); not checked');
    if (target.inProcess) baselineMemory = settledMemory();
  });
  afterAll(async () => {
    await bystander?.close();
    await peer?.stop();
  });

  async function invariants(): Promise<void> {
    await bystander.check();
    await assertServing(peer.port, ruok);
    if (baselineConnections !== null) {
      expect(await connectionsBackTo(peer.port, baselineConnections), 'connections left open').toBeLessThanOrEqual(baselineConnections);
    }
  }

  it('random byte streams: the server closes or answers, and closes on EOF', async () => {
    const arb = fc.tuple(fc.uint8Array({ maxLength: 4096 }), fc.boolean());
    await property('random bytes', 1, arb, runs(200), 8_000, async ([bytes, halfClose]) => {
      const c = await RawConn.open(peer.port);
      try {
        c.write(Buffer.from(bytes));
        if (halfClose) {
          c.end();
          expect(await c.waitClosed(CLOSE_MS), 'still open after EOF').toBe(true);
        }
        expect(c.protocolViolation).toBeNull();
      } finally {
        c.destroy();
      }
    });
    await invariants();
  }, 60_000);

  it('length prefixes that are negative, zero, above jute.maxbuffer or lie about the body', async () => {
    const body = Buffer.alloc(16, 0x41);
    for (const len of [-1, -(2 ** 31), 0, MAX_BUFFER + 1, 2 ** 31 - 1]) {
      const before = await RawConn.open(peer.port);
      before.write(lyingFrame(len, body));
      expect(await before.waitClosed(CLOSE_MS), `length ${len} before the handshake`).toBe(true);
      expect(await before.nextFrame(CLOSE_MS)).toBeNull();
      const after = await RawSession.open(peer.port, 4_000);
      after.conn.write(lyingFrame(len, body));
      expect(await after.conn.waitClosed(CLOSE_MS), `length ${len} after the handshake`).toBe(true);
      before.destroy();
      after.conn.destroy();
    }
    // A prefix promising more than arrives: the server waits for it, and closes on EOF.
    for (const session of [false, true]) {
      const c = session ? (await RawSession.open(peer.port, 4_000)).conn : await RawConn.open(peer.port);
      c.end(lyingFrame(100, body));
      expect(await c.waitClosed(CLOSE_MS), 'short body then EOF').toBe(true);
      c.destroy();
    }
    // A ConnectRequest whose prefix covers only part of it is a malformed ConnectRequest.
    const cut = await RawConn.open(peer.port);
    cut.write(Buffer.concat([lyingFrame(12, connectFrame().subarray(4)), Buffer.alloc(64)]));
    expect(await cut.waitClosed(CLOSE_MS), 'short ConnectRequest').toBe(true);
    cut.destroy();
    await maxBufferBoundary(peer.port);
    await invariants();
  }, 60_000);

  it('a valid conversation split at every byte gets the same replies; cut at every byte and closed, nothing breaks', async () => {
    const { bytes, xids } = validConversation('split');
    const reference = await converse(peer.port, [bytes]);
    expect(reference).toEqual(xids.map((xid) => ({ xid, err: Code.OK })));
    const step = target.scale < 1 ? 7 : 1;
    for (let at = 1; at < bytes.length; at += step) {
      expect(await converse(peer.port, [bytes.subarray(0, at), bytes.subarray(at)]), `split at ${at}`).toEqual(reference);
    }
    const { bytes: other } = validConversation('cut');
    for (let at = 0; at < other.length; at += step) {
      const c = await RawConn.open(peer.port);
      c.end(other.subarray(0, at));
      expect(await c.waitClosed(CLOSE_MS), `cut at ${at} then EOF`).toBe(true);
      c.destroy();
    }
    await invariants();
  }, 60_000);

  it('garbage requests inside a session: answered like ZooKeeper or closed, never fatal', async () => {
    const arb = fc.array(garbageRequest, { minLength: 1, maxLength: 12 });
    await property('garbage requests', 2, arb, runs(150), 15_000, async (requests) => {
      const s = await RawSession.open(peer.port, 4_000);
      let closeTolerated = false;
      try {
        for (const g of requests) {
          if (s.conn.isClosed) break;
          const gx = s.xid();
          const px = s.xid();
          s.conn.write(Buffer.concat([
            requestFrame(gx, g.type, g.body),
            requestFrame(px, OpCode.exists, encode('ExistsRequest', { path: BYSTANDER_PATH, watch: false })),
          ]));
          const { before, probe } = await answersUntil(s, px);
          expect(s.conn.protocolViolation).toBeNull();
          checkAnswer(g, gx, before, probe, closeTolerated);
          closeTolerated ||= mayClose(g);
        }
      } finally {
        await s.close();
      }
    });
    const invalid = (await allPaths(peer.port)).filter((p) => pathError(p) !== null);
    expect(invalid, 'nodes with invalid paths exist').toEqual([]);
    await invariants();
  }, 60_000);

  it('thousands of short connections: connect-and-drop, proper close, abandoned sessions, EOF', async () => {
    const total = runs(2_000);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < total; i = next++) await shortConnection(peer.port, i % 4);
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    await invariants();
  }, 60_000);

  if (target.inProcess) {
    it('memory stays bounded: overall, and flat across another 2,000 connections', async () => {
      const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;
      const before = settledMemory();
      expect(before - baselineMemory, `heap + buffers grew by ${mib(before - baselineMemory)}`).toBeLessThan(MEMORY_BOUND);
      let next = 0;
      const worker = async (): Promise<void> => {
        // Connect-and-drop and proper sessions only: abandoned sessions hold memory until they expire.
        for (let i = next++; i < 2_000; i = next++) await shortConnection(peer.port, i % 2);
      };
      await Promise.all(Array.from({ length: 32 }, worker));
      const after = settledMemory();
      expect(after - before, `2,000 more connections grew memory by ${mib(after - before)}`).toBeLessThan(PER_BATCH_BOUND);
      await invariants();
    }, 60_000);
  }
}

/** The largest frame jute.maxbuffer allows is served; one byte more closes the connection. */
async function maxBufferBoundary(port: number): Promise<void> {
  const s = await RawSession.open(port, 4_000);
  const path = `${FUZZ_ROOT}/big`;
  const created = await s.call(OpCode.create, encode('CreateRequest', {
    path, data: null, acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 0,
  }));
  expect(created?.err).toBe(Code.OK);
  // RequestHeader (8) + path (4 + 9) + data length (4) + version (4) = 29 bytes around the data.
  const largest = (extra: number): Buffer => requestFrame(s.xid(), OpCode.setData,
    encode('SetDataRequest', { path, data: Buffer.alloc(MAX_BUFFER - 29 + extra, 0x62), version: -1 }));
  const fits = largest(0);
  expect(fits.length - 4).toBe(MAX_BUFFER);
  s.conn.write(fits);
  expect((await s.replyTo(fits.readInt32BE(4), 10_000))?.err, 'a frame of exactly jute.maxbuffer').toBe(Code.OK);
  s.conn.write(largest(1));
  expect(await s.conn.waitClosed(CLOSE_MS), 'a frame one byte over jute.maxbuffer').toBe(true);
  s.conn.destroy();
  const cleanup = await RawSession.open(port);
  await cleanup.call(OpCode.delete, encode('DeleteRequest', { path, version: -1 }));
  await cleanup.close();
}

async function shortConnection(port: number, kind: number): Promise<void> {
  if (kind === 0) {
    (await RawConn.open(port)).destroy(); // connect and drop, no bytes
  } else if (kind === 1) {
    await (await RawSession.open(port, 4_000)).close(); // a proper session
  } else if (kind === 2) {
    const s = await RawSession.open(port, 4_000); // a session abandoned mid-conversation
    const r = await s.call(OpCode.getData, encode('GetDataRequest', { path: BYSTANDER_PATH, watch: false }));
    expect(r?.err).toBe(Code.OK);
    s.conn.destroy();
  } else {
    const c = await RawConn.open(port); // ConnectRequest then EOF
    c.end(connectFrame(4_000));
    expect(await c.waitClosed(CLOSE_MS)).toBe(true);
    c.destroy();
  }
}

describe.skipIf(await skipWithoutPaddock('frame fuzzing vs Paddock'))('frame fuzzing: Paddock coord-server', () => {
  frameFuzzSuite({ start: startPaddock, scale: 1, inProcess: true });
});

// The same scripts at a fraction of the runs confirm that what is asserted is what ZooKeeper does.
describe.skipIf(skipWithoutZooKeeper('frame fuzzing vs ZooKeeper'))('frame fuzzing: Apache ZooKeeper 3.8 (reference)', () => {
  frameFuzzSuite({ start: startZooKeeper, scale: 0.25, inProcess: false });
});

