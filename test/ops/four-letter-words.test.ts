import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordClient } from '@paddock/coord-client';
import { FOUR_LETTER_WORDS } from '@paddock/coord-protocol';
import { startPaddock } from '../support/paddock.js';
import { fourLetter } from '../support/zookeeper.js';
import { keyedLines, populate } from './ops-support.js';

type Paddock = Awaited<ReturnType<typeof startPaddock>>;

const hex = (id: bigint): string => BigInt.asUintN(64, id).toString(16);

function filesBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

describe('four-letter words on our server', () => {
  let p: Paddock;
  let client: CoordClient;
  let sid: string;

  beforeAll(async () => {
    p = await startPaddock();
    client = await populate(p.connectString);
    sid = hex(client.sessionId);
  });
  afterAll(async () => {
    await client?.close();
    await p?.stop();
  });

  it('ruok, isro and gtmk answer without a newline, as ZooKeeper', async () => {
    expect(await fourLetter(p.port, 'ruok')).toBe('imok');
    expect(await fourLetter(p.port, 'isro')).toBe('rw');
    expect(await fourLetter(p.port, 'gtmk')).toBe('306');
    expect(await fourLetter(p.port, 'hash')).toBe('');
  });

  it('srvr: the nine lines of ZooKeeper with our counts', async () => {
    const lines = (await fourLetter(p.port, 'srvr')).split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe(`Zookeeper version: ${p.server.version}`);
    expect(lines[1]).toMatch(/^Latency min\/avg\/max: \d+\/\d+\.\d+(E-?\d+)?\/\d+$/);
    expect(lines.slice(2)).toEqual([
      `Received: ${p.server.pipeline.counters.received}`, `Sent: ${p.server.pipeline.counters.sent}`,
      'Connections: 2', 'Outstanding: 0', `Zxid: 0x${p.server.pipeline.zxid.toString(16)}`, 'Mode: standalone',
      `Node count: ${p.server.pipeline.tree.size}`, '',
    ]);
  });

  it('stat: version, the clients in brief form, a blank line, then srvr\'s lines', async () => {
    const text = await fourLetter(p.port, 'stat');
    const [head, rest] = text.split('\n\n') as [string, string];
    const lines = head.split('\n');
    expect(lines.slice(0, 2)).toEqual([`Zookeeper version: ${p.server.version}`, 'Clients:']);
    // Our session, and the connection asking.
    expect(lines).toHaveLength(4);
    expect(lines.slice(2)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ \/127\.0\.0\.1:\d+\[0\]\(queued=0,recved=\d+,sent=0\)$/),
      expect.stringMatching(/^ \/127\.0\.0\.1:\d+\[1\]\(queued=0,recved=5,sent=5\)$/),
    ]));
    expect(rest).toMatch(/^Latency min\/avg\/max: .*\nReceived: \d+\nSent: \d+\nConnections: 2\nOutstanding: 0\nZxid: 0x[0-9a-f]+\nMode: standalone\nNode count: \d+\n$/);
  });

  it('cons: every connection with its session, last op, cxid, zxid and latencies', async () => {
    const text = await fourLetter(p.port, 'cons');
    expect(text.endsWith(')\n\n')).toBe(true);
    const session = text.split('\n').find((l) => l.includes(`sid=0x${sid},`));
    expect(session).toMatch(new RegExp(
      `^ /127\\.0\\.0\\.1:\\d+\\[1\\]\\(queued=0,recved=5,sent=5,sid=0x${sid},lop=GETC,est=\\d+,to=30000,` +
      `lcxid=0x4,lzxid=0x3,lresp=\\d+,llat=\\d+,minlat=\\d+,avglat=\\d+,maxlat=\\d+\\)$`));
  });

  it('mntr: tab-separated zk_ keys with live values', async () => {
    const rows = new Map(keyedLines(await fourLetter(p.port, 'mntr'), '\t'));
    expect(Object.fromEntries(['zk_version', 'zk_server_state', 'zk_znode_count', 'zk_ephemerals_count', 'zk_watch_count', 'zk_global_sessions', 'zk_outstanding_requests']
      .map((k) => [k, rows.get(k)]))).toEqual({
      zk_version: p.server.version, zk_server_state: 'standalone', zk_znode_count: String(p.server.pipeline.tree.size),
      zk_ephemerals_count: '1', zk_watch_count: '2', zk_global_sessions: '1', zk_outstanding_requests: '0',
    });
    for (const k of ['zk_avg_latency', 'zk_max_latency', 'zk_min_latency', 'zk_packets_received', 'zk_packets_sent',
      'zk_num_alive_connections', 'zk_approximate_data_size', 'zk_open_file_descriptor_count', 'zk_max_file_descriptor_count', 'zk_uptime']) {
      expect(rows.get(k), k).toMatch(/^-?\d+(\.\d+)?$/);
    }
    // ZooKeeper's measure: path characters plus data bytes, system nodes included.
    const expected = [...p.server.pipeline.tree.entries()].reduce((n, [path, node]) => n + path.length + (node.data?.length ?? 0), 0);
    expect(rows.get('zk_approximate_data_size')).toBe(String(expected));
  });

  it('conf and dirs: ZooKeeper\'s keys, sizes of the files under paddock-v1/', async () => {
    const dir = join(p.dataDir, 'paddock-v1');
    const conf = await fourLetter(p.port, 'conf');
    expect(keyedLines(conf, '=').map(([k]) => k)).toEqual([
      'clientPort', 'secureClientPort', 'dataDir', 'dataDirSize', 'dataLogDir', 'dataLogSize', 'tickTime',
      'maxClientCnxns', 'minSessionTimeout', 'maxSessionTimeout', 'clientPortListenBacklog', 'serverId',
    ]);
    expect(conf).toContain(`clientPort=${p.port}\n`);
    expect(conf).toContain(`dataDir=${dir}\n`);
    const dirs = await fourLetter(p.port, 'dirs');
    const bytes = filesBytes(dir);
    expect(bytes).toBeGreaterThan(0);
    expect(dirs).toBe(`datadir_size: ${bytes}\nlogdir_size: ${bytes}\n`);
  });

  it('envi: ZooKeeper\'s header and key=value lines', async () => {
    const text = await fourLetter(p.port, 'envi');
    expect(text.startsWith('Environment:\n')).toBe(true);
    const env = new Map(keyedLines(text, '='));
    expect(env.get('zookeeper.version')).toBe(p.server.version);
    expect(env.get('node.version')).toBe(process.version);
    expect(env.get('user.dir')).toBe(process.cwd());
    expect(env.get('os.memory.max')).toMatch(/^\d+MB$/);
  });

  it('wchs, wchc, wchp: the data watches, by session and by path', async () => {
    expect(await fourLetter(p.port, 'wchs')).toBe('1 connections watching 1 paths\nTotal watches:1\n');
    expect(await fourLetter(p.port, 'wchc')).toBe(`0x${sid}\n\t/a\n\n`);
    expect(await fourLetter(p.port, 'wchp')).toBe(`/a\n\t0x${sid}\n\n`);
  });

  it('dump: sessions by expiry, ephemerals by session, connections by expiry', async () => {
    const text = await fourLetter(p.port, 'dump');
    const date = '[A-Z][a-z]{2} [A-Z][a-z]{2} \\d{2} \\d{2}:\\d{2}:\\d{2} UTC \\d{4}';
    expect(text).toMatch(new RegExp(
      `^SessionTracker dump:\nSession Sets \\(1\\)/\\(1\\):\n1 expire at ${date}:\n\t0x${sid}\n` +
      `ephemeral nodes dump:\nSessions with Ephemerals \\(1\\):\n0x${sid}:\n\t/e\n` +
      `Connections dump:\nConnections Sets \\(2\\)/\\(2\\):\n(1 expire at ${date}:\n\tip: /127\\.0\\.0\\.1:\\d+ sessionId: 0x[0-9a-f]+\n){2}$`));
  });

  it('crst clears each connection\'s counters; srst the server\'s', async () => {
    await client.exists('/a');
    expect(await fourLetter(p.port, 'crst')).toBe('Connection stats reset.\n');
    const cons = await fourLetter(p.port, 'cons');
    expect(cons).toMatch(new RegExp(`\\(queued=0,recved=0,sent=0,sid=0x${sid},lop=NA,est=\\d+,to=30000,lzxid=0xffffffffffffffff,lresp=0,llat=0,minlat=0,avglat=0,maxlat=0\\)`));
    expect(p.server.pipeline.counters.received).toBeGreaterThan(0);
    expect(await fourLetter(p.port, 'srst')).toBe('Server stats reset.\n');
    expect(await fourLetter(p.port, 'srvr')).toMatch(/\nLatency min\/avg\/max: 0\/0\.0\/0\nReceived: 0\nSent: 0\n/);
    // The next request is counted again, from arrival to reply.
    await client.exists('/a');
    expect(await fourLetter(p.port, 'srvr')).toMatch(/\nReceived: 1\nSent: 1\n/);
  });
});

describe('four-letter word whitelist', () => {
  it('answers only the listed words; the others get ZooKeeper\'s refusal', async () => {
    const p = await startPaddock({ fourLetterWords: ['srvr', 'mntr'] });
    try {
      expect(await fourLetter(p.port, 'mntr')).toMatch(/^zk_version\t/);
      for (const w of FOUR_LETTER_WORDS.filter((x) => x !== 'srvr' && x !== 'mntr')) {
        expect(await fourLetter(p.port, w)).toBe(`${w} is not executed because it is not in the whitelist.\n`);
      }
    } finally {
      await p.stop();
    }
  });

  it('defaults to srvr alone, as ZooKeeper', async () => {
    const p = await startPaddock({ fourLetterWords: undefined });
    try {
      expect(await fourLetter(p.port, 'srvr')).toMatch(/^Zookeeper version: /);
      expect(await fourLetter(p.port, 'stat')).toBe('stat is not executed because it is not in the whitelist.\n');
    } finally {
      await p.stop();
    }
  });
});
