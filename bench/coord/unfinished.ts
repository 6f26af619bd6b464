import { type Socket, connect } from 'node:net';
import { Cleanup } from '../support/cleanup.js';
import { startCoordServerProcess } from '../support/coord-server-process.js';
import { fourLetter } from '../support/four-letter.js';
import type { PeerServer } from '../support/peer-server.js';
import { rssBytes } from '../support/process-memory.js';
import { startZooKeeper } from '../support/zookeeper.js';
import type { SideName } from './harness.js';

/**
 * Connections that never finish a frame: each sends a length prefix of a 1 MB frame (below
 * both servers' jute.maxbuffer) and half its body, then nothing. Once before the handshake (no
 * ConnectRequest), once after it (a session that stalls mid-request). What each server holds
 * for them (RSS growth), and how long until it has closed them.
 */
export interface UnfinishedParams {
  /** Connections in each phase, spread over loopback addresses (per-IP limits stay out of it). */
  readonly connections: number;
  /** Longest wait for the server to close the pre-handshake connections. */
  readonly closeWaitMs: number;
}

export const DEFAULT_UNFINISHED: UnfinishedParams = { connections: 480, closeWaitMs: 30_000 };

export interface UnfinishedResult {
  readonly side: SideName;
  readonly connections: number;
  /** RSS growth once every half frame was sent, before the handshake. */
  readonly preRssGrowth: number | null;
  /** Connections still open at that moment. */
  readonly preOpen: number;
  /** From the last byte sent until the server had closed every one (null: not within the wait). */
  readonly preClosedMs: number | null;
  /** The same after a handshake: sessions that stall half-way through a request. */
  readonly postRssGrowth: number | null;
  readonly postOpen: number;
}

const FRAME = 1_000_000;
const SENT = FRAME / 2;
const ADDRESSES = 16;
/** RSS settles this long after the last write before it is read. */
const SETTLE_MS = 1000;

/** A ConnectRequest for a new session: protocol 0, zxid 0, 30 s, session 0, 16-byte password. */
function connectRequest(): Buffer {
  const b = Buffer.alloc(4 + 4 + 8 + 4 + 8 + 4 + 16);
  b.writeInt32BE(b.length - 4, 0);
  b.writeInt32BE(30_000, 16);
  b.writeInt32BE(16, 28);
  return b;
}

function halfFrame(): Buffer {
  const b = Buffer.alloc(4 + SENT, 0x61);
  b.writeInt32BE(FRAME, 0);
  return b;
}

function openFrom(port: number, i: number, first: Buffer | null): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${2 + (i % ADDRESSES)}` });
    s.once('error', reject);
    s.on('data', () => undefined);
    s.once('connect', () => {
      s.off('error', reject);
      s.on('error', () => undefined);
      if (first) s.write(first);
      resolve(s);
    });
  });
}

/** Writes `bytes` to every socket and resolves once each write left this process. */
async function sendAll(socks: readonly Socket[], bytes: Buffer): Promise<void> {
  await Promise.all(socks.map((s) => new Promise<void>((r) => { if (s.destroyed) r(); else s.write(bytes, () => r()); })));
}

const stillOpen = (socks: readonly Socket[]): number => socks.filter((s) => !s.destroyed && !s.readableEnded).length;

async function settledRss(pid: number | undefined): Promise<number | null> {
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  return pid === undefined ? null : rssBytes(pid);
}

async function phase(peer: PeerServer, p: UnfinishedParams, handshake: boolean): Promise<{ growth: number | null; open: number; closedMs: number | null }> {
  const before = await settledRss(peer.pid);
  const socks: Socket[] = [];
  try {
    for (let i = 0; i < p.connections; i++) socks.push(await openFrom(peer.port, i, handshake ? connectRequest() : null));
    await sendAll(socks, halfFrame());
    const after = await settledRss(peer.pid);
    const openCount = stillOpen(socks);
    const t0 = Date.now();
    let closedMs: number | null = null;
    if (!handshake) {
      while (Date.now() - t0 < p.closeWaitMs) {
        if (stillOpen(socks) === 0) { closedMs = Date.now() - t0 + SETTLE_MS; break; }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return { growth: before === null || after === null ? null : after - before, open: openCount, closedMs };
  } finally {
    for (const s of socks) s.destroy();
  }
}

/** Each phase on a fresh server: a JVM heap grown by the first would hide the second's growth. */
async function onFreshServer<T>(side: SideName, run: (peer: PeerServer) => Promise<T>): Promise<T> {
  const cleanup = new Cleanup();
  try {
    const peer = side === 'zookeeper'
      ? await startZooKeeper({ extra: { maxClientCnxns: '0' } })
      : await startCoordServerProcess({ zooCfg: { maxClientCnxns: '0' } });
    cleanup.add(() => peer.stop());
    await fourLetter(peer.port, 'srvr');
    return await run(peer);
  } finally {
    await cleanup.run();
  }
}

export async function measureUnfinished(side: SideName, p: UnfinishedParams, progress: (line: string) => void): Promise<UnfinishedResult> {
  progress(`${side}: ${p.connections} connections send half of a ${FRAME.toLocaleString('en-US')}-byte frame before the handshake`);
  const pre = await onFreshServer(side, (peer) => phase(peer, p, false));
  progress(`${side}: the same after the handshake`);
  const post = await onFreshServer(side, (peer) => phase(peer, p, true));
  return {
    side, connections: p.connections, preRssGrowth: pre.growth, preOpen: pre.open, preClosedMs: pre.closedMs,
    postRssGrowth: post.growth, postOpen: post.open,
  };
}
