import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { skipWithoutPaddock } from '../fuzz/peers.js';
import { startPaddock } from '../support/paddock.js';
import { runZkCli, type Transcript } from '../support/zkcli-transcript.js';
import { ZK_CLI, skipWithoutZooKeeper, startZooKeeper, type PeerServer } from '../support/zookeeper.js';
import {
  normalizeCliTranscript, normalizeZkCliTranscript, runCli, runCliScript, spawnCli, spawnZkCli, type CliRun,
} from './cli-harness.js';

/**
 * coord-cli must print what zkCli.sh 3.8 prints: the same script goes to zkCli.sh on one Apache
 * ZooKeeper and to coord-cli on another (and on our server); the transcripts, normalized as the
 * zkCli.sh compatibility test does (dates, zxids by order of appearance, session ids, events
 * lifted out), must be equal line for line. Each run gets a fresh server, so all start equal.
 */

/** Every command and flag, the watches they set, and the refusals whose wording zkCli has. */
const SCRIPT = (server: string): string[] => [
  'ls /', 'ls -s /',
  'create /cli hello', 'create /cli/p pdata', 'create -s -e /cli/p/eseq edata', 'create -e /cli/eph e',
  'create -s /cli/seq s', 'create -c /cli/cont', 'create -t 600000 /cli/ttl t', 'create -s -t 600000 /cli/ts',
  'create /cli/null', 'get /cli/null', 'create /cli/empty ""', 'get /cli/empty', 'create /cli/sp "hello world"',
  'get -s /cli/sp', 'create -s /cli/', 'ls /cli', 'ls -s /cli', 'ls -R /cli', 'ls -R -s /cli/p', 'get -s /cli',
  'set /cli/p newdata', 'set -s /cli/p newer', 'stat /cli/p', 'stat /cli/eph', 'stat /cli/ttl', 'get -s /cli/cont',
  'set -v 7 /cli/p bad', 'set -v 2 /cli/p good', 'set -v -1 /cli/p any', 'delete -v 5 /cli/p',
  'get /nope', 'create /cli/eph/child x', 'delete /cli', 'create /cli', 'create /nope/child', 'stat /nope',
  'set /nope x', 'delete /nope', 'ls /nope', 'deleteall /nope', 'getAllChildrenNumber /cli',
  'getAllChildrenNumber /nope', 'getEphemerals /cli/p', 'getEphemerals /cli/eph', 'getAcl /cli', 'getAcl -s /cli',
  'create /cli/ro r', 'setAcl /cli/ro world:anyone:r', 'getAcl -s /cli/ro', 'set /cli/ro w', 'setAcl -s /cli/ro world:anyone:r',
  'create /cli/two x world:anyone:cdrwa,ip:127.0.0.1:r', 'getAcl /cli/two', 'setAcl -v 9 /cli/two world:anyone:r',
  'setAcl -s -v 0 /cli/two world:anyone:cdrwa', 'create /cli/ipn x ip:10.0.0.0/8:r', 'getAcl /cli/ipn', 'get /cli/ipn',
  'ls -w /cli', 'create /cli/w', 'sync /cli', 'get -w /cli/w', 'set /cli/w changed', 'sync /cli',
  'stat -w /cli/later', 'create /cli/later', 'sync /cli', 'ls /cli x', 'get /cli/w x', 'stat /cli/w x', 'delete /cli/w',
  'sync /cli', 'whoami', 'addauth digest u:p', 'whoami', 'create /cli/au x auth::cdrwa', 'getAcl /cli/au',
  'create /cli/dg x digest:u:hash:rwa,world:anyone:r', 'getAcl /cli/dg', 'create /cli/bad x auth:x:y:rw',
  'setAcl -R /cli world:anyone:cdrwa', 'create /cli/del', 'create /cli/del/a', 'create /cli/del/a/b',
  'deleteall -b 1 /cli/del', 'create /cli/del', 'create /cli/del/a', 'deleteall /cli/del', 'deleteall /cli', 'ls /cli',
  'printwatches', 'printwatches off', 'get -w /cli/later', 'set /cli/later quiet', 'sync /cli', 'printwatches on',
  'get -w /cli/later', 'set /cli/later loud', 'sync /cli',
  // Quotas (reported, not enforced here), persistent watches, history and redo.
  'create /qq', 'create /qq/a abc', 'setquota -N 3 /qq', 'listquota /qq', 'setquota -b 10 /qq', 'setquota -n 1 /qq',
  'listquota /qq', 'setquota -N 2 /qq/a', 'setquota -N 2 /nope', 'setquota -n 0 /qq', 'setquota -b x /qq', 'setquota /qq',
  'setquota -n 1 -N 2 /qq', 'setquota -n', 'setquota -N 1 /zookeeper/quota/qq', 'delquota -n -b /qq', 'delquota -N /qq',
  'listquota /qq', 'get /zookeeper/quota/qq/zookeeper_limits', 'delquota /qq', 'delquota /qq', 'listquota /qq',
  'ls /zookeeper/quota', 'listquota', 'delquota', 'setquota',
  'addWatch /qq', 'create /qq/b', 'set /qq/b x', 'sync /qq', 'removewatches /qq', 'removewatches /qq', 'addWatch -m persistent /qq',
  'set /qq/b y', 'delete /qq/b', 'sync /qq', 'removewatches /qq -d', 'addWatch -m bogus /qq', 'addWatch', 'addWatch /qq /x',
  'removewatches', 'removewatches /nope -l', 'deleteall /qq', 'history', 'redo 1', 'redo 99999', 'redo', 'history',
  // Refusals with zkCli's own wording.
  'ls', 'ls -s', 'get', 'set /cli/p', 'create', 'stat', 'delete', 'deleteall', 'sync', 'getAcl', 'setAcl /cli',
  'addauth', 'getAllChildrenNumber', 'ls cli', 'get cli/p', 'create cli', 'create /cli/', 'create /cli//x',
  'create /cli/./x', 'create -s /cli//', 'stat ""', 'set x y', 'delete x', 'sync x', 'getAcl x', 'getEphemerals x',
  'setAcl x world:anyone:r', 'deleteall x', 'create -c -e /x', 'create -s -c /x', 'create -t abc /x', 'create -c -t x /x',
  'create -t 0 /x', 'create -t -5 /x', 'create -e -t 5 /x', 'create -c -t 5 /x', 'create /cli/acl x bad',
  'create /cli/acl x world:anyone', 'setAcl /cli/ro bad', 'create /cli/acl x "world:anyone:r,"',
  // The session: close, "Not connected", reconnect, a chroot.
  'close', 'ls /', 'close', 'connect', 'ls /cli/p', `connect ${server}/cli`, 'ls /', 'create /made', 'getAllChildrenNumber /',
  'getEphemerals', `connect ${server}`, 'ls /',
];

interface Runs {
  readonly zkCli: Transcript;
  readonly ours: Transcript;
  readonly oursOnPaddock?: Transcript;
}

const peers: PeerServer[] = [];
async function fresh(start: () => Promise<PeerServer>): Promise<PeerServer> {
  const p = await start();
  peers.push(p);
  return p;
}

afterAll(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});

function cliMissing(): boolean {
  if (existsSync(ZK_CLI)) return false;
  console.warn(`[SKIP] coord-cli against zkCli.sh: ${ZK_CLI} missing (apt-get install zookeeper)`);
  return true;
}

const noZooKeeper = skipWithoutZooKeeper('coord-cli against zkCli.sh') || cliMissing();
const noPaddock = noZooKeeper || (await skipWithoutPaddock('coord-cli against zkCli.sh, on Paddock'));

describe.skipIf(noZooKeeper)('coord-cli prints what zkCli.sh prints', () => {
  let runs: Promise<Runs> | undefined;
  const script = (): Promise<Runs> => (runs ??= (async () => {
    const [a, b, c] = await Promise.all([
      fresh(() => startZooKeeper()), fresh(() => startZooKeeper()), noPaddock ? undefined : fresh(() => startPaddock()),
    ]);
    const [zkCli, ours, oursOnPaddock] = await Promise.all([
      runZkCli(a.port, SCRIPT(a.connectString), 60_000).then((raw) => normalizeZkCliTranscript(raw, a.port)),
      runCliScript(b.connectString, SCRIPT(b.connectString)).then((raw) => normalizeCliTranscript(raw, b.port)),
      c && runCliScript(c.connectString, SCRIPT(c.connectString)).then((raw) => normalizeCliTranscript(raw, c.port)),
    ]);
    return { zkCli, ours, ...(oursOnPaddock ? { oursOnPaddock } : {}) };
  })());

  it('the reference transcript ran as intended', async () => {
    const { lines, events } = (await script()).zkCli;
    for (const expected of [
      'Created /cli/p/eseq0000000000', 'Created /cli/ts0000000005', 'null', 'hello world', '[]',
      // setAcl -R: zkCli ends no line after a node it could not change.
      'KeeperErrorCode = NoAuth for /cli/badKeeperErrorCode = NoAuth for /cli/dgKeeperErrorCode = NoAuth for /cli/ipn'
        + 'KeeperErrorCode = NoAuth for /cli/roInsufficient permission : /cli/ipn',
      'version No is not valid : /cli/two', 'Insufficient permission : /cli/ro', 'Not connected', 'Created /made',
      "'ls path [watch]' has been deprecated. Please use 'ls [-w] path' instead.",
      'ttl must be positive and cannot be larger than: 1099511627775', 'Acl is not valid : null',
    ]) {
      expect(lines, `transcript lacks ${JSON.stringify(expected)}:\n${lines.join('\n')}`).toContain(expected);
    }
    expect(events.filter((e) => e.includes('path:/cli/later'))).toHaveLength(2);
    expect(events).toContain('WatchedEvent state:SyncConnected type:NodeDataChanged path:/cli/w');
    expect(events).toContain('WatchedEvent state:Closed type:None path:null');
  });

  it('coord-cli on Apache ZooKeeper: same lines, same events', async () => {
    const { zkCli, ours } = await script();
    expect(ours.lines).toEqual(zkCli.lines);
    expect(ours.events).toEqual(zkCli.events);
  });

  it.skipIf(noPaddock)('coord-cli on our server: same lines, same events', async () => {
    const { zkCli, oursOnPaddock } = await script();
    expect(oursOnPaddock?.lines).toEqual(zkCli.lines);
    expect(oursOnPaddock?.events).toEqual(zkCli.events);
  });
});

/** One-shot invocations, in order, each from a new process: stdout, stderr and exit code must match. */
const ONE_SHOT = (server: string): string[][] => [
  ['ls', '/'], ['create', '/one', 'x'], ['create', '/one'], ['get', '-s', '/one'], ['set', '-v', '5', '/one', 'y'],
  ['ls', '/nope'], ['get'], ['create', '-c', '-e', '/x'], ['-server', `${server}/one`, 'ls', '/'], ['delete', '/one'],
  ['-timeout', '5000', 'ls', '/'], ['getAcl', '/'], ['sync', '/'], ['close'],
];

/**
 * What to compare of a one-shot run. Whether zkCli.sh prints the connection event before it
 * exits is a race inside it, so events are left out (the suites check ours).
 */
function comparable(r: CliRun, server: string, port: number): unknown {
  const { lines } = normalizeZkCliTranscript(r.out.replaceAll(server, `127.0.0.1:${port}`), port);
  return { lines, err: r.err, code: r.code };
}

describe.skipIf(noZooKeeper)('coord-cli one-shot mode prints what zkCli.sh prints', () => {
  it('same stdout, stderr and exit code, command by command', { timeout: 180_000 }, async () => {
    const [a, b] = await Promise.all([fresh(() => startZooKeeper()), fresh(() => startZooKeeper())]);
    const withServer = (cs: string, args: string[]): string[] => (args[0] === '-server' ? args : ['-server', cs, ...args]);
    const theirs: unknown[] = [];
    const mine: unknown[] = [];
    // Ours and theirs run side by side, each on its own server; the runs of each stay in order.
    await Promise.all([
      (async () => {
        for (const args of ONE_SHOT(a.connectString)) {
          theirs.push(comparable(await spawnZkCli(withServer(a.connectString, args)), a.connectString, 0));
        }
      })(),
      (async () => {
        for (const args of ONE_SHOT(b.connectString)) {
          mine.push(comparable(await spawnCli(withServer(b.connectString, args)), b.connectString, 0));
        }
      })(),
    ]);
    expect(mine).toEqual(theirs);
  });
});

/**
 * Where coord-cli words things differently on purpose; zkCli.sh's side is checked too, so this
 * list stays true when either changes.
 */
describe.skipIf(noZooKeeper)('deliberate differences from zkCli.sh', () => {
  const cases: { line: string; zkCli: RegExp; ours: string }[] = [
    // zkCli prints the Java exception's class name.
    { line: 'ls -x /', zkCli: /^org\.apache\.commons\.cli\.UnrecognizedOptionException: Unrecognized option: -x$/m, ours: 'Unrecognized option: -x\n' },
    { line: 'set -v', zkCli: /^org\.apache\.commons\.cli\.MissingArgumentException: Missing argument for option: v$/m, ours: 'Missing argument for option: v\n' },
    // zkCli creates the node with what it could parse (here: no permission at all); we refuse.
    { line: 'create /partial x world:anyone:z', zkCli: /^Unknown perm type: z$[^]*^Created \/partial$/m, ours: 'Unknown perm type: z\nKeeperErrorCode = InvalidACL\nAcl is not valid : null\n' },
    // zkCli crashes (NumberFormatException, and the JVM exits); we name the option.
    { line: 'set -v abc /x y', zkCli: /^Exception in thread "main" java\.lang\.NumberFormatException: For input string: "abc"$/m, ours: '-v argument must be an int value\n' },
  ];

  it('zkCli.sh prints the Java forms; coord-cli a plain message', { timeout: 60_000 }, async () => {
    const zk = await fresh(() => startZooKeeper());
    const transcript = await runZkCli(zk.port, cases.map((c) => c.line), 30_000);
    for (const c of cases) {
      expect(transcript, c.line).toMatch(c.zkCli);
      const r = await runCli(['-server', zk.connectString], `${c.line}\n`);
      expect(r.err, c.line).toBe(c.ours);
    }
  });
});
