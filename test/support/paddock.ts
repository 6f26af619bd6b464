import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FOUR_LETTER_WORDS } from '@paddock/coord-protocol';
import { CoordServer, type CoordServerOptions } from '@paddock/coord-server';
import type { PeerServer } from './zookeeper.js';

/** Starts our coordination server in-process on a free loopback port with a temp data dir. */
export async function startPaddock(opts: Partial<CoordServerOptions> = {}): Promise<PeerServer & { server: CoordServer }> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'paddock-coord-'));
  // Like the test ZooKeeper: every four-letter word, no per-IP connection limit, no admin port.
  const server = await CoordServer.start({
    host: '127.0.0.1', port: 0, fourLetterWords: FOUR_LETTER_WORDS, maxClientCnxns: 0, adminEnabled: false,
    ...opts, dataDir,
  });
  return {
    server,
    host: server.host,
    port: server.port,
    connectString: `${server.host}:${server.port}`,
    dataDir,
    async stop() {
      await server.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
