import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { skipWithoutPaddock } from '../fuzz/peers.js';
import { startPaddock } from '../support/paddock.js';
import { ZK_CLI, skipWithoutZooKeeper, startZooKeeper, type PeerServer } from '../support/zookeeper.js';
import { normalizeZkCli, runZkCli, type Transcript } from './zkcli-session.js';

/**
 * A scripted zkCli.sh session must print the same transcript against our server as against
 * Apache ZooKeeper 3.8. Each watch is fired by a change in the same session and followed by a
 * sync, so the script is deterministic; normalization takes care of what may differ.
 */

/** First session: every command kind, the error messages, and the watches it fires. */
const SESSION_ONE = [
  'ls /',
  'ls -s /',
  'create /cli hello',
  'create /cli/p pdata',
  'create -s -e /cli/p/eseq edata',
  'create -e /cli/eph e',
  'create -s /cli/seq s',
  'create -c /cli/cont',
  'create -t 600000 /cli/ttl t',
  'ls /cli',
  'ls -s /cli',
  'ls -R /cli',
  'get -s /cli',
  'get /cli/p',
  'get -s /cli/cont',
  'set /cli/p newdata',
  'set -s /cli/p newer',
  'stat /cli/p',
  'stat /cli/eph',
  'stat /cli/ttl',
  'set -v 7 /cli/p bad',
  'set -v 2 /cli/p good',
  'get -s /cli/p',
  'delete -v 5 /cli/p',
  'get /nope',
  'create /cli/eph/child x',
  'delete /cli',
  'create /cli',
  'create /nope/child',
  'stat /nope',
  'set /nope x',
  'delete /nope',
  'ls /nope',
  'getAllChildrenNumber /cli',
  'getEphemerals /cli/p',
  'getAcl /cli',
  'create /cli/ro r',
  'setAcl /cli/ro world:anyone:r',
  'getAcl -s /cli/ro',
  'set /cli/ro w',
  'ls -w /cli',
  'create /cli/w',
  'sync /cli',
  'get -w /cli/w',
  'set /cli/w changed',
  'sync /cli',
  'stat -w /cli/later',
  'create /cli/later',
  'sync /cli',
  'addWatch -m PERSISTENT /cli/pw',
  'create /cli/pw',
  'set /cli/pw 1',
  'delete /cli/pw',
  'sync /cli',
  'deleteall /cli/p',
  'ls /cli',
  'delete /cli/w',
  'delete -v 0 /cli/later',
  'whoami',
  'bogus command',
  'get',
];

/** Second session, after the first quit: its ephemerals are gone; then clean up. */
const SESSION_TWO = [
  'ls -R /cli',
  'stat /cli',
  'getEphemerals /',
  'deleteall /cli',
  'ls /',
];

async function transcript(start: () => Promise<PeerServer>): Promise<Transcript> {
  const peer = await start();
  try {
    const one = normalizeZkCli(await runZkCli(peer.port, SESSION_ONE), peer.port);
    const two = normalizeZkCli(await runZkCli(peer.port, SESSION_TWO), peer.port);
    return { lines: [...one.lines, '--- session two ---', ...two.lines], events: [...one.events, '---', ...two.events] };
  } finally {
    await peer.stop();
  }
}

function cliMissing(suite: string): boolean {
  if (existsSync(ZK_CLI)) return false;
  console.warn(`[SKIP] ${suite}: ${ZK_CLI} missing (apt-get install zookeeper)`);
  return true;
}

let zooKeeperTranscript: Promise<Transcript> | undefined;
const reference = (): Promise<Transcript> => (zooKeeperTranscript ??= transcript(startZooKeeper));

const noZooKeeper = skipWithoutZooKeeper('zkCli.sh transcript') || cliMissing('zkCli.sh transcript');

describe.skipIf(noZooKeeper)('zkCli.sh against Apache ZooKeeper 3.8', () => {
  it('runs the script as intended (the reference transcript is sane)', async () => {
    const { lines, events } = await reference();
    const text = lines.join('\n');
    for (const expected of [
      'Connecting to <server>',
      'Created /cli/p/eseq0000000000',
      'Created /cli/seq0000000002',
      '[cont, eph, p, seq0000000002, ttl]',
      'version No is not valid : /cli/p',
      'Node does not exist: /nope',
      'Ephemerals cannot have children: /cli/eph/child',
      'Node not empty: /cli',
      'Node already exists: /cli',
      'Insufficient permission : /cli/ro',
      'Sync is OK',
      'Command not found: Command not found bogus',
    ]) {
      expect(lines, `transcript lacks ${JSON.stringify(expected)}:\n${text}`).toContain(expected);
    }
    expect(lines.filter((l) => l.startsWith('ephemeralOwner = <session#'))).toHaveLength(1);
    // A TTL node keeps its TTL in ephemeralOwner internally, but Stat shows 0x0 (ZooKeeper 3.8).
    expect(lines.filter((l) => l === 'ephemeralOwner = 0x0').length).toBeGreaterThan(5);
    expect(events).toEqual([
      'WatchedEvent state:SyncConnected type:None path:null',
      'WatchedEvent state:SyncConnected type:NodeChildrenChanged path:/cli',
      'WatchedEvent state:SyncConnected type:NodeDataChanged path:/cli/w',
      'WatchedEvent state:SyncConnected type:NodeCreated path:/cli/later',
      'WatchedEvent state:SyncConnected type:NodeCreated path:/cli/pw',
      'WatchedEvent state:SyncConnected type:NodeDataChanged path:/cli/pw',
      'WatchedEvent state:SyncConnected type:NodeDeleted path:/cli/pw',
      '---',
      'WatchedEvent state:SyncConnected type:None path:null',
    ]);
  });
});

const noPaddock = noZooKeeper || (await skipWithoutPaddock('zkCli.sh against Paddock'));

describe.skipIf(noPaddock)('zkCli.sh against Paddock coord-server', () => {
  it('prints the same transcript as against ZooKeeper', async () => {
    const [theirs, ours] = await Promise.all([reference(), transcript(startPaddock)]);
    expect(ours.lines).toEqual(theirs.lines);
    expect(ours.events).toEqual(theirs.events);
  });
});
