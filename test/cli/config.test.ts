import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ZkEnsemble } from '../ensemble/support/zk-ensemble.js';
import { skipWithoutPaddock } from '../fuzz/peers.js';
import { startPaddock } from '../support/paddock.js';
import { runZkCli } from '../support/zkcli-transcript.js';
import { ZK_CLI, skipWithoutZooKeeper, startZooKeeper, type PeerServer } from '../support/zookeeper.js';
import { normalizeCliTranscript, normalizeZkCliTranscript, runCliScript } from './cli-harness.js';

/**
 * coord-cli's `config` against zkCli.sh's: the same script on the same server, a real
 * ZooKeeper 3.8 ensemble member (2 voters + 1 observer on loopback), whose /zookeeper/config
 * holds the ensemble's text; and on standalone servers, where the node is empty. With a chroot
 * the config is still read at /zookeeper/config, as ZooKeeper's client reads it.
 */

const SCRIPT = (server: string): string[] => [
  'config', 'config -s', 'config -c', 'config -w -s', 'create /cr', `connect ${server}/cr`, 'config', 'ls /',
];

function cliMissing(): boolean {
  if (existsSync(ZK_CLI)) return false;
  console.warn(`[SKIP] coord-cli config against zkCli.sh: ${ZK_CLI} missing (apt-get install zookeeper)`);
  return true;
}

const noZooKeeper = skipWithoutZooKeeper('coord-cli config against zkCli.sh') || cliMissing();
const noPaddock = noZooKeeper || (await skipWithoutPaddock('coord-cli config on our standalone server'));

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => { for (const c of cleanups.splice(0)) await c(); });

/** The answer to `create /cr`, which only the first of two runs on one server gets to create. */
const created = (l: string): boolean => l !== 'Created /cr' && !l.startsWith('Node already exists');

/** zkCli.sh's and coord-cli's normalized lines for one script on one server, the create's answer left out. */
async function both(port: number): Promise<{ zkCli: string[]; ours: string[] }> {
  const server = `127.0.0.1:${port}`;
  const zkCli = normalizeZkCliTranscript(await runZkCli(port, SCRIPT(server), 60_000), port).lines.filter(created);
  const ours = normalizeCliTranscript(await runCliScript(server, SCRIPT(server)), port).lines.filter(created);
  return { zkCli, ours };
}

describe.skipIf(noZooKeeper)('coord-cli config prints what zkCli.sh prints', () => {
  it('on a ZooKeeper ensemble member: the config text, its Stat, the client string, past a chroot', async () => {
    const e = await ZkEnsemble.start({ members: [{ id: 1 }, { id: 2 }, { id: 3, role: 'observer' }] });
    cleanups.push(() => e.stop());
    await e.waitForLeader();
    const m = e.member(3);
    const { zkCli, ours } = await both(m.clientPort);
    const text = e.members.map((x) => `server.${x.id}=127.0.0.1:${x.quorumPort}:${x.electionPort}:${x.role}`);
    // The reference ran as intended: the text, the version-0 client string, the Stat of a config node.
    expect(zkCli).toEqual(expect.arrayContaining([...text, 'version=0', '0 ,,', 'dataVersion = -1', 'aclVersion = -1']));
    expect(zkCli.filter((l) => l === 'version=0')).toHaveLength(4);
    expect(ours).toEqual(zkCli);
  }, 120_000);

  it('on a standalone ZooKeeper and on ours: an empty config', async () => {
    const zk: PeerServer = await startZooKeeper();
    cleanups.push(() => zk.stop());
    const { zkCli, ours } = await both(zk.port);
    expect(zkCli.slice(0, 2)).toEqual(['Connecting to <server>', '']);
    expect(ours).toEqual(zkCli);
    if (noPaddock) return;
    const p = await startPaddock();
    cleanups.push(() => p.stop());
    const onPaddock = normalizeCliTranscript(await runCliScript(p.connectString, SCRIPT(p.connectString)), p.port).lines.filter(created);
    expect(onPaddock).toEqual(zkCli);
  }, 120_000);
});
