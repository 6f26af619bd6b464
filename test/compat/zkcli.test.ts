import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startPaddockEnsemble } from '../ensemble/support/suite-ensemble.js';
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

/** Third session: the system subtree, quotas, auth schemes, ACL edits, watch removal, TTL rules. */
const EXTRAS = [
  'ls -R /',
  'stat /zookeeper',
  'get /zookeeper/config',
  'config',
  'getAllChildrenNumber /',
  'create /q',
  'create /q/a',
  'setquota -n 2 /q',
  'listquota /q',
  'create /q/b',
  'create /q/c',
  'listquota /q',
  'ls -R /zookeeper',
  'delquota /q',
  'listquota /q',
  'addauth digest u:p',
  'whoami',
  'create /au x auth:u:p:cdrwa',
  'getAcl /au',
  'get /au',
  'create /dg x digest:u:hash:rw',
  'getAcl /dg',
  'create /ipn x ip:127.0.0.1:cdrwa',
  'getAcl /ipn',
  'get /ipn',
  'setAcl -R /q world:anyone:cdr',
  'getAcl /q/a',
  'setAcl -v 9 /au world:anyone:cdrwa',
  'create /w',
  'addWatch /w',
  'create /w/a',
  'create /w/a/b',
  'set /w/a/b x',
  'delete /w/a/b',
  'sync /w',
  'removewatches /w',
  'removewatches /nope',
  'get -w /w',
  'removewatches /w -d',
  'ls -w /w',
  'removewatches /w -c',
  'stat -w /w/zz',
  'removewatches /w/zz -d',
  'sync /w',
  'create /ttl',
  'create -t 0 /ttl/y',
  'create -c -t 10 /ttl/z',
  'create -e -t 5000 /ttl/r',
  'create -s -t 5000 /ttl/q',
  'create -c /ttl/cont',
  'ls -s /ttl',
  'deleteall /w',
  'deleteall /q',
  'deleteall /ttl',
  'ls /',
];

interface Transcripts {
  readonly core: Transcript;
  readonly extras: Transcript;
}

async function transcripts(start: () => Promise<PeerServer>): Promise<Transcripts> {
  const peer = await start();
  try {
    const run = async (commands: readonly string[]): Promise<Transcript> =>
      normalizeZkCli(await runZkCli(peer.connectString, commands), peer.connectString);
    const one = await run(SESSION_ONE);
    const two = await run(SESSION_TWO);
    const extras = await run(EXTRAS);
    return {
      core: { lines: [...one.lines, '--- session two ---', ...two.lines], events: [...one.events, '---', ...two.events] },
      extras,
    };
  } finally {
    await peer.stop();
  }
}

function cliMissing(suite: string): boolean {
  if (existsSync(ZK_CLI)) return false;
  console.warn(`[SKIP] ${suite}: ${ZK_CLI} missing (apt-get install zookeeper)`);
  return true;
}

// One server run per peer; each comparison below reads its part.
let zooKeeperRun: Promise<Transcripts> | undefined;
let paddockRun: Promise<Transcripts> | undefined;
let ensembleRun: Promise<Transcripts> | undefined;
const reference = (): Promise<Transcripts> => (zooKeeperRun ??= transcripts(startZooKeeper));
const ours = (): Promise<Transcripts> => (paddockRun ??= transcripts(startPaddock));
const ensemble = (): Promise<Transcripts> => (ensembleRun ??= transcripts(() => startPaddockEnsemble(3)));

const noZooKeeper = skipWithoutZooKeeper('zkCli.sh transcript') || cliMissing('zkCli.sh transcript');

describe.skipIf(noZooKeeper)('zkCli.sh against Apache ZooKeeper 3.8', () => {
  it('runs the script as intended (the reference transcript is sane)', async () => {
    const { lines, events } = (await reference()).core;
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

  it('runs the extra commands as intended', async () => {
    const { lines, events } = (await reference()).extras;
    for (const expected of [
      'Output stat for /q count=4,bytes=0',
      'quota for /q does not exist.',
      'digest: u',
      "'digest,'u:Jq7wMyA/w2Vd5WIDAKdu4OIIFEQ=",
      'Insufficient permission : /dg',
      "'ip,'127.0.0.1",
      'version No is not valid : /au',
      'KeeperErrorCode = No such watcher for /nope',
      'TTLs cannot be used with Container znodes',
      'Created /ttl/q0000000000',
      '[au, dg, ipn, zookeeper]',
    ]) {
      expect(lines, `transcript lacks ${JSON.stringify(expected)}:\n${lines.join('\n')}`).toContain(expected);
    }
    expect(events).toContain('WatchedEvent state:SyncConnected type:PersistentWatchRemoved path:/w');
    expect(events).toContain('WatchedEvent state:SyncConnected type:DataWatchRemoved path:/w/zz');
  });
});

const noPaddock = noZooKeeper || (await skipWithoutPaddock('zkCli.sh against Paddock'));

describe.skipIf(noPaddock)('zkCli.sh against Paddock coord-server', () => {
  it('prints the same transcript as against ZooKeeper', async () => {
    const [theirs, mine] = await Promise.all([reference(), ours()]);
    expect(mine.core.lines).toEqual(theirs.core.lines);
    expect(mine.core.events).toEqual(theirs.core.events);
  });

  it('prints the same for the system subtree, quotas, auth, ACL edits, watch removal and TTL rules', async () => {
    const [theirs, mine] = await Promise.all([reference(), ours()]);
    expect(mine.extras.lines).toEqual(theirs.extras.lines);
    expect(mine.extras.events).toEqual(theirs.extras.events);
  });
});

/**
 * An ensemble's /zookeeper/config holds its config text where a standalone server's is empty,
 * so `get /zookeeper/config` and `config` print server lines and a version line there (as a
 * ZooKeeper ensemble does; test/quorum checks the text byte for byte). Each run of such lines
 * is folded into the standalone's one empty line; the runs come back for their own checks.
 */
function foldConfigText(t: Transcript): { transcript: Transcript; texts: string[][] } {
  const lines: string[] = [];
  const texts: string[][] = [];
  let run: string[] | null = null;
  for (const line of t.lines) {
    if (/^(server\.\d+=|version=)/.test(line)) {
      if (run === null) {
        run = [];
        texts.push(run);
        lines.push('');
      }
      run.push(line);
      // The version line ends a text: the two commands print theirs back to back.
      if (line.startsWith('version=')) run = null;
    } else {
      run = null;
      lines.push(line);
    }
  }
  return { transcript: { lines, events: t.events }, texts };
}

// Issue 12: the same script through zkCli.sh given the connect string of a whole Paddock ensemble.
describe.skipIf(noPaddock)('zkCli.sh against a Paddock ensemble of 3', () => {
  it('prints the same transcripts as against ZooKeeper, but for the ensemble config text', async () => {
    const [theirs, mine] = await Promise.all([reference(), ensemble()]);
    expect(mine.core).toEqual(theirs.core);
    const { transcript, texts } = foldConfigText(mine.extras);
    expect(transcript).toEqual(theirs.extras);
    // get /zookeeper/config and config: the same text, three voters and the version.
    expect(texts).toHaveLength(2);
    expect(texts[1]).toEqual(texts[0]);
    expect(texts[0]!.filter((l) => /^server\.[123]=127\.0\.0\.1:\d+:\d+:participant;127\.0\.0\.1:\d+$/.test(l))).toHaveLength(3);
    expect(texts[0]!.at(-1)).toBe('version=0');
  });
});
