import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordClient } from '@paddock/coord-client';
import { startPaddock } from '../support/paddock.js';
import { type PeerServer, fourLetter, skipWithoutZooKeeper, startZooKeeper } from '../support/zookeeper.js';
import { isSubsequence, keyedLines, populate, shape } from './ops-support.js';

/**
 * Our four-letter words against Apache ZooKeeper 3.8 in the same state: values differ, the
 * layout must not. Each answer is reduced to its shape (numbers, ids, addresses, dates
 * replaced by placeholders) or to its keys, and compared.
 */

const CLASSIC_MNTR_KEYS = [
  'zk_version', 'zk_avg_latency', 'zk_max_latency', 'zk_min_latency', 'zk_packets_received', 'zk_packets_sent',
  'zk_num_alive_connections', 'zk_outstanding_requests', 'zk_server_state', 'zk_znode_count', 'zk_watch_count',
  'zk_ephemerals_count', 'zk_approximate_data_size', 'zk_open_file_descriptor_count', 'zk_max_file_descriptor_count',
];

describe.skipIf(skipWithoutZooKeeper('four-letter words vs ZooKeeper'))('four-letter words vs ZooKeeper 3.8', () => {
  const servers: { name: string; peer: PeerServer; client: CoordClient }[] = [];
  const ask = async (word: string): Promise<{ zk: string; ours: string }> => ({
    zk: await fourLetter(servers[0]!.peer.port, word),
    ours: await fourLetter(servers[1]!.peer.port, word),
  });

  beforeAll(async () => {
    for (const [name, start] of [['zookeeper', () => startZooKeeper()], ['paddock', () => startPaddock()]] as const) {
      const peer = await start();
      servers.push({ name, peer, client: await populate(peer.connectString) });
    }
  });
  afterAll(async () => {
    for (const s of servers) {
      await s.client.close();
      await s.peer.stop();
    }
  });

  it('ruok, isro, gtmk, crst, srst answer the same text', async () => {
    for (const w of ['ruok', 'isro', 'gtmk', 'crst', 'srst']) {
      const { zk, ours } = await ask(w);
      expect(ours, w).toBe(zk);
    }
  });

  it('srvr and stat have the same lines', async () => {
    for (const w of ['srvr', 'stat']) {
      const { zk, ours } = await ask(w);
      // Connection order is a hash order in ZooKeeper; compare the client lines as a set.
      const sorted = (t: string) => shape(t).split('\n').sort();
      expect(sorted(ours), w).toEqual(sorted(zk));
    }
  });

  it('cons has the same fields per connection', async () => {
    const { zk, ours } = await ask('cons');
    expect(shape(ours).split('\n').sort()).toEqual(shape(zk).split('\n').sort());
  });

  it('wchs, wchc, wchp, dirs and dump have the same layout', async () => {
    for (const w of ['wchs', 'wchc', 'wchp', 'dirs']) {
      const { zk, ours } = await ask(w);
      expect(shape(ours), w).toBe(shape(zk));
    }
    const { zk, ours } = await ask('dump');
    // Connections land in expiry buckets by time; the lines that can appear are the same.
    expect(new Set(shape(ours).split('\n'))).toEqual(new Set(shape(zk).split('\n')));
    const headers = (t: string) => t.split('\n').filter((l) => /dump:$|^Session|^Connections/.test(l)).map(shape);
    expect(headers(ours)).toEqual(headers(zk));
  });

  it('conf has the same keys in the same order', async () => {
    const { zk, ours } = await ask('conf');
    expect(keyedLines(ours, '=').map(([k]) => k)).toEqual(keyedLines(zk, '=').map(([k]) => k));
    expect(shape(ours)).toBe(shape(zk));
  });

  it('envi has ZooKeeper\'s keys in its order, java.* replaced by node.*', async () => {
    const { zk, ours } = await ask('envi');
    expect(ours.split('\n')[0]).toBe(zk.split('\n')[0]);
    const zkKeys = keyedLines(zk, '=').map(([k]) => k).filter((k) => !k.startsWith('java.'));
    const ourKeys = keyedLines(ours, '=').map(([k]) => k).filter((k) => !k.startsWith('node.'));
    expect(ourKeys).toEqual(zkKeys);
  });

  it('mntr prints ZooKeeper\'s keys, in its order, with the same kind of value', async () => {
    const { zk, ours } = await ask('mntr');
    const zkRows = keyedLines(zk, '\t');
    const ourRows = keyedLines(ours, '\t');
    const zkKeys = zkRows.map(([k]) => k);
    const ourKeys = ourRows.map(([k]) => k);
    expect(isSubsequence(ourKeys, zkKeys), `${ourKeys.join(',')} not in ZooKeeper's order`).toBe(true);
    for (const k of CLASSIC_MNTR_KEYS) expect(ourKeys, k).toContain(k);
    const zkValues = new Map(zkRows);
    for (const [k, v] of ourRows) expect(shape(`${k}\t${v}`), k).toBe(shape(`${k}\t${zkValues.get(k)!}`));
  });

  it('refuses a word outside the whitelist with the same text', async () => {
    const zk = await startZooKeeper({ extra: { '4lw.commands.whitelist': 'srvr' } });
    const ours = await startPaddock({ fourLetterWords: ['srvr'] });
    try {
      for (const w of ['ruok', 'mntr', 'stat', 'wchc']) expect(await fourLetter(ours.port, w), w).toBe(await fourLetter(zk.port, w));
    } finally {
      await ours.stop();
      await zk.stop();
    }
  });
});
