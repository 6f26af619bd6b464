import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordClient } from '@paddock/coord-client';
import { startPaddock } from '../support/paddock.js';
import { type PeerServer, skipWithoutZooKeeper } from '../support/zookeeper.js';
import { command, http, isSubsequence, keyPaths, populate, startZooKeeperWithAdmin } from './ops-support.js';

/**
 * Our AdminServer against ZooKeeper 3.8's, both serving one session with an ephemeral and
 * watches: the same command list, the same aliases, and the same JSON fields per command.
 */

/** Objects keyed by session ids, paths or times rather than by field names. */
const MAPS = new Set(['expiry_time_to_session_ids', 'session_id_to_ephemeral_paths', 'session_id_to_watched_paths', 'path_to_session_ids']);

const ALIASES = ['conf', 'config', 'crst', 'cons', 'env', 'envi', 'gtmk', 'icfg', 'isro', 'lsnp', 'lead', 'mntr', 'orst', 'obsr', 'srvr', 'stmk', 'srst', 'stat', 'sysp', 'wchs', 'wchc', 'wchp'];

const commandNames = (html: string): string[] => [...html.matchAll(/<a href="\/commands\/([a-z_]+)">/g)].map((m) => m[1]!);

describe.skipIf(skipWithoutZooKeeper('AdminServer vs ZooKeeper'))('AdminServer vs ZooKeeper 3.8', () => {
  let zk: PeerServer & { adminPort: number };
  let ours: Awaited<ReturnType<typeof startPaddock>>;
  const clients: CoordClient[] = [];
  let names: string[] = [];

  beforeAll(async () => {
    zk = await startZooKeeperWithAdmin();
    ours = await startPaddock({ adminEnabled: true, adminPort: 0 });
    clients.push(await populate(zk.connectString), await populate(ours.connectString));
    const index = await http(zk.adminPort, '/commands').catch((e: Error) => {
      throw new Error(`ZooKeeper's AdminServer does not answer on ${zk.adminPort} (is /usr/share/java/servlet-api.jar installed?): ${e.message}`);
    });
    names = commandNames(index.text);
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await ours?.stop();
    await zk?.stop();
  });

  it('lists the same commands', async () => {
    expect(names.length).toBeGreaterThan(20);
    expect(commandNames((await http(ours.server.adminPort!, '/commands')).text)).toEqual(names);
  });

  it('resolves the same aliases to the same commands', async () => {
    for (const alias of ALIASES) {
      const [a, b] = [await command(zk.adminPort, alias), await command(ours.server.adminPort!, alias)];
      expect(b.body.command, alias).toBe(a.body.command);
    }
  });

  it('answers every command with the same status and the same JSON fields', async () => {
    for (const name of names) {
      const [a, b] = [await command(zk.adminPort, name), await command(ours.server.adminPort!, name)];
      expect(b.status, name).toBe(a.status);
      if (name === 'environment') {
        // java.* properties are ours as node.*; the rest keep ZooKeeper's names and order.
        expect(Object.keys(b.body).filter((k) => !k.startsWith('node.')), name)
          .toEqual(Object.keys(a.body).filter((k) => !k.startsWith('java.')));
      } else if (name === 'system_properties') {
        expect(Object.values(b.body).filter((v) => v !== null).every((v) => typeof v === 'string'), name).toBe(true);
      } else if (name === 'monitor') {
        expect(isSubsequence(Object.keys(b.body), Object.keys(a.body)), name).toBe(true);
      } else {
        expect([...keyPaths(b.body, MAPS)].sort(), name).toEqual([...keyPaths(a.body, MAPS)].sort());
      }
    }
  });

  it('reports the same failures: leader on a standalone server, set_trace_mask without a mask', async () => {
    for (const name of ['leader', 'set_trace_mask']) {
      expect((await command(ours.server.adminPort!, name)).body, name).toEqual((await command(zk.adminPort, name)).body);
    }
  });

  it('answers an unknown command with ZooKeeper\'s body (3.8.0 with status 200, we with 404)', async () => {
    const [a, b] = [await command(zk.adminPort, 'nonexistent'), await command(ours.server.adminPort!, 'nonexistent')];
    expect(b.body).toEqual(a.body);
    expect([a.status, b.status]).toEqual([200, 404]);
  });
});
