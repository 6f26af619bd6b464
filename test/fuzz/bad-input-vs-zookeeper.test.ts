import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Code, CreateMode, OpCode } from '@paddock/coord-protocol';
import { startPaddock } from '../support/paddock.js';
import { skipWithoutZooKeeper, startZooKeeper, type PeerServer } from '../support/zookeeper.js';
import { garbageRequest, type Garbage } from './generators.js';
import { FUZZ_ROOT } from './invariants.js';
import { skipWithoutPaddock } from './peers.js';
import { RawSession, encode, parseReply, requestFrame } from './wire.js';

/**
 * The same fixed sample of malformed requests (bad paths, truncated and padded bodies, valid
 * ones in between) sent to Apache ZooKeeper and to our server, one fresh session each: the
 * answers must be the same error codes. Random bodies on named ops and unknown op codes are
 * left out: there ZooKeeper's answers are accidents of its implementation (junk replies to an
 * in-session createSession, closes for SASL) rather than protocol.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_121);
const SAMPLES = 400;
const ANSWER_MS = 5_000;

const comparable = (g: Garbage): boolean => g.kind !== 'random-body' && g.kind !== 'unknown-op';

function describeRequest(g: Garbage): string {
  return `${g.kind} op ${g.type} ${JSON.stringify(g.body.toString('latin1'))}`;
}

async function answers(start: () => Promise<PeerServer>, requests: readonly Garbage[]): Promise<string[]> {
  const peer = await start();
  try {
    const setup = await RawSession.open(peer.port);
    const root = await setup.call(OpCode.create, encode('CreateRequest', {
      path: FUZZ_ROOT, data: null, acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: CreateMode.PERSISTENT,
    }));
    expect(root?.err).toBe(Code.OK);
    await setup.close();
    const out: string[] = [];
    for (const g of requests) {
      // A fresh session each, closed properly, so no ephemeral or watch outlives its request.
      const s = await RawSession.open(peer.port, 10_000);
      const xid = s.xid();
      s.conn.write(requestFrame(xid, g.type, g.body));
      const f = await s.conn.nextFrame(ANSWER_MS);
      out.push(`${describeRequest(g)} -> ${f ? `err ${parseReply(f).err}` : 'closed'}`);
      await s.close();
    }
    return out;
  } finally {
    await peer.stop();
  }
}

const skip = skipWithoutZooKeeper('bad input vs ZooKeeper') || (await skipWithoutPaddock('bad input vs ZooKeeper'));

describe.skipIf(skip)('bad input: Paddock answers like Apache ZooKeeper 3.8', () => {
  it(`gives the same answer to ${SAMPLES} sampled malformed and valid requests`, async () => {
    const requests = fc.sample(garbageRequest, { numRuns: SAMPLES * 2, seed: SEED }).filter(comparable).slice(0, SAMPLES);
    const [theirs, ours] = await Promise.all([answers(startZooKeeper, requests), answers(startPaddock, requests)]);
    const differing = ours.flatMap((a, i) => (a === theirs[i] ? [] : [`ours:   ${a}\nZooKeeper: ${theirs[i]}`]));
    expect(differing, `replay with FUZZ_SEED=${SEED}`).toEqual([]);
  }, 60_000);
});
