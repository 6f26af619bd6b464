import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { optionsFromZooCfg } from '../../packages/coord-server/src/config/from-zoo-cfg.js';
import { loadZooCfg } from '../../packages/coord-server/src/config/zoo-cfg.js';
import { stopChild, waitUntilServing } from '../../bench/support/four-letter.js';
import { freePort } from '../support/ports.js';
import { skipWithoutZooKeeper } from '../support/zookeeper.js';

const CLASSPATH = '/etc/zookeeper/conf:/usr/share/java/zookeeper.jar:/usr/share/java/servlet-api.jar';
const START_MS = 45_000;

/**
 * A live ZooKeeper 3.8.0 ensemble is the judge of the /zookeeper/config bytes: two of the three
 * servers a zoo.cfg lists are started (a quorum, so it serves), and the data it keeps in
 * /zookeeper/config must be the text we make from that same zoo.cfg. The third server, never
 * started, has id 17: it shares HashMap bucket 1 with server.1, so the order ZooKeeper prints
 * them in comes from its Properties walk, which java-map-order.ts replays. The lines also use
 * each client form: none (clientPort stands, not printed), a port, and host:port.
 */
describe.skipIf(skipWithoutZooKeeper('/zookeeper/config of a live ZooKeeper ensemble'))('/zookeeper/config of a live ZooKeeper ensemble', () => {
  const root = mkdtempSync(join(tmpdir(), 'paddock-zk-ensemble-'));
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) await stopChild(c, 'SIGKILL', 0);
    rmSync(root, { recursive: true, force: true });
  });

  it('holds the text we print for the same zoo.cfg, byte for byte', async () => {
    const [c1, c2, c17, ...peer] = await Promise.all(Array.from({ length: 9 }, () => freePort()));
    const p = peer as number[];
    const servers = `server.1=127.0.0.1:${p[0]}:${p[1]}\nserver.2=127.0.0.1:${p[2]}:${p[3]};${c2}\n`
      + `server.17=localhost:${p[4]}:${p[5]}:participant;127.0.0.1:${c17}\n`;
    const configs = [[1, c1!], [2, c2!]].map(([id, clientPort]) => {
      const dataDir = join(root, `zk${id}`);
      mkdirSync(dataDir);
      writeFileSync(join(dataDir, 'myid'), `${id}\n`);
      const cfg = join(root, `zoo${id}.cfg`);
      writeFileSync(cfg, `tickTime=200\ninitLimit=50\nsyncLimit=25\ndataDir=${dataDir}\nclientPort=${clientPort}\n`
        + `admin.enableServer=false\n${servers}`);
      return cfg;
    });
    for (const cfg of configs) {
      children.push(spawn('java', ['-Xmx256m', '-cp', CLASSPATH, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfg], { stdio: 'ignore' }));
    }
    await waitUntilServing('ZooKeeper server.1', c1!, children[0]!, START_MS);
    const client = await CoordClient.connect(`127.0.0.1:${c1}`);
    try {
      const { data } = await client.getData('/zookeeper/config');
      const ours = optionsFromZooCfg(loadZooCfg(configs[0]!)).options.quorum;
      expect(ours?.myid).toBe(1);
      expect(data.toString('utf8')).toBe(ours?.verifier.text);
      expect(ours?.verifier.text).toMatch(/^server\.(1|17)=.*\nserver\.(17|1)=.*\nserver\.2=127\.0\.0\.1:\d+:\d+:participant;0\.0\.0\.0:\d+\nversion=0$/);
    } finally {
      await client.close();
    }
  }, START_MS + 15_000);
});
