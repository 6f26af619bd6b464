import { afterAll, beforeAll, beforeEach } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import type { PeerServer } from '../support/zookeeper.js';
import { afterConnect, runCli, type CliRun } from './cli-harness.js';

/** Starts the server a CLI suite runs against (Apache ZooKeeper or ours). */
export type StartPeer = () => Promise<PeerServer>;

/** What each test gets: the peer, a client for setting up and checking, and a fresh base path. */
export interface CliContext {
  readonly peer: PeerServer;
  /** A plain client (not the CLI) to prepare nodes and check what the CLI did. */
  readonly zk: CoordClient;
  /** This test's own node, created before it runs. */
  readonly base: string;
  /** One-shot `coord-cli -server <peer> ...args`. */
  once(...args: string[]): Promise<CliRun>;
  /** The one-shot run's stdout after the connection preamble, and its stderr and exit code. */
  cmd(...args: string[]): Promise<{ out: string; err: string; code: number }>;
  /** The shell fed these lines, then end of input; `all` holds stdout and stderr in order. */
  shell(...lines: string[]): Promise<CliRun>;
}

export function useCliContext(start: StartPeer): CliContext {
  let peer: PeerServer | undefined;
  let zk: CoordClient | undefined;
  let counter = 0;
  let base = '';

  beforeAll(async () => {
    peer = await start();
    zk = await CoordClient.connect(peer.connectString, { sessionTimeout: 10_000 });
  });
  afterAll(async () => {
    await zk?.close();
    await peer?.stop();
  });
  beforeEach(async () => {
    base = `/cli${++counter}`;
    await ctx.zk.create(base);
  });

  const ctx: CliContext = {
    get peer(): PeerServer {
      if (!peer) throw new Error('peer not started');
      return peer;
    },
    get zk(): CoordClient {
      if (!zk) throw new Error('client not connected');
      return zk;
    },
    get base(): string {
      return base;
    },
    once: (...args) => runCli(['-server', ctx.peer.connectString, ...args]),
    async cmd(...args) {
      const r = await ctx.once(...args);
      return { out: afterConnect(r.out), err: r.err, code: r.code };
    },
    shell: (...lines) => runCli(['-server', ctx.peer.connectString], lines.map((l) => `${l}\n`).join('')),
  };
  return ctx;
}

/** The `key = value` lines of a stat block (the first one in the text). */
export function statOf(text: string): Record<string, string> {
  const start = text.indexOf('cZxid = ');
  if (start < 0) throw new Error(`no stat block in:\n${text}`);
  const lines = text.slice(start).split('\n').slice(0, 11);
  return Object.fromEntries(lines.map((l) => {
    const [k, v] = l.split(' = ');
    return [k, v];
  }));
}

/** The eleven keys of zkCli's stat block, in order. */
export const STAT_KEYS = [
  'cZxid', 'ctime', 'mZxid', 'mtime', 'pZxid', 'cversion', 'dataVersion', 'aclVersion', 'ephemeralOwner',
  'dataLength', 'numChildren',
];

/** Java's Date.toString() in UTC or any zone: `Sun Nov 22 00:10:05 UTC 2026`. */
export const JAVA_DATE = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \S+ \d{4}$/;

export const hex = (n: number | bigint): string => `0x${BigInt.asUintN(64, BigInt(n)).toString(16)}`;

/** A shell run's output with the prompts taken out, so lines can be matched whole. */
export function lines(r: CliRun): string[] {
  return r.all.split('\n').map((l) => l.replace(/^(\[zk: [^\]]*\] )+/, ''));
}
