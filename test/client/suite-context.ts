import { afterAll, afterEach, beforeAll } from 'vitest';
import { CoordClient, type CoordClientOptions } from '@paddock/coord-client';
import type { PeerServer } from '../support/zookeeper.js';
import { TcpProxy } from './tcp-proxy.js';

/** Starts the server a client suite runs against (Apache ZooKeeper or ours). */
export type StartPeer = () => Promise<PeerServer>;

/**
 * What each test of the client suite gets: the peer, a fresh base path of its own, and
 * clients and proxies that are closed after the test whatever happens.
 */
export interface SuiteContext {
  readonly peer: PeerServer;
  /** A path no other test uses, created on demand by `prepareBase()`. */
  base(): string;
  /**
   * Creates `base()` and returns it, then syncs the test's clients opened so far on it: on an
   * ensemble another session's write reaches a member's reads only after a sync (ZooKeeper's
   * rule), and tests open their clients before the base they read.
   */
  prepareBase(): Promise<string>;
  connect(opts?: CoordClientOptions & { chroot?: string; via?: TcpProxy }): Promise<CoordClient>;
  proxy(): Promise<TcpProxy>;
}

/** Registers the hooks that start one peer per suite and clean up after each test. */
export function useSuiteContext(start: StartPeer): SuiteContext {
  let peer: PeerServer | undefined;
  let counter = 0;
  let current = '';
  const clients: CoordClient[] = [];
  const proxies: TcpProxy[] = [];

  beforeAll(async () => {
    peer = await start();
  });
  afterAll(async () => {
    await peer?.stop();
  });
  afterEach(async () => {
    current = '';
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });

  const ctx: SuiteContext = {
    get peer(): PeerServer {
      if (!peer) throw new Error('peer not started');
      return peer;
    },
    base() {
      if (current === '') current = `/t${++counter}-${process.pid}`;
      return current;
    },
    async prepareBase() {
      // Only live ones: a test may have closed or cut off a client on purpose.
      const earlier = clients.filter((e) => e.state === 'connected');
      const c = await ctx.connect();
      await c.create(ctx.base());
      await Promise.all(earlier.map((e) => e.sync(ctx.base())));
      return ctx.base();
    },
    async connect(opts = {}) {
      const { chroot, via, ...rest } = opts;
      const hosts = via ? via.connectString : ctx.peer.connectString;
      const client = await CoordClient.connect(`${hosts}${chroot ?? ''}`, { sessionTimeout: 10_000, ...rest });
      clients.push(client);
      return client;
    },
    async proxy() {
      const p = await TcpProxy.start(ctx.peer.port);
      proxies.push(p);
      return p;
    },
  };
  return ctx;
}
