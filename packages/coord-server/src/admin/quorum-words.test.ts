import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FOUR_LETTER_WORDS } from '@paddock/coord-protocol';
import { answerFourLetterWord } from './four-letter-words.js';
import { fakeQuorum, statsFor, CAPTURED_CLIENT_PORTS } from './testing/fake-quorum.js';
import type { ServerStats } from './server-stats.js';

/**
 * Expected texts captured from a real ZooKeeper 3.8.0 ensemble (Debian's, 2 voters + 1
 * observer on loopback, started by test/ensemble/support/zk-ensemble.ts; server 2 led), each
 * word sent to the leader, a follower (1) and the observer (3), then again to servers 1 and 3
 * after the leader was killed (electing, not serving). Counts, zxids, paths and sizes vary
 * between runs and are filled in from the stats under test; ports are the captured ones.
 */

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'paddock-quorum-words-'));
  dirs.push(d);
  return d;
}

const leader = () => statsFor(fakeQuorum({
  myid: 2, role: 'leading',
  learners: [
    { id: 1, observer: false, synced: true, address: '127.0.0.1:46712' },
    { id: 3, observer: true, synced: true, address: '127.0.0.1:40126' },
  ],
}), dataDir());
const follower = () => statsFor(fakeQuorum({ myid: 1, role: 'following' }), dataDir());
const observer = () => statsFor(fakeQuorum({ myid: 3, role: 'observing' }), dataDir());

/** ZooKeeper's srvr after the version line, with this server's counts. */
function srvrBody(s: ServerStats, mode: string, extra = ''): string {
  const p = s.pipeline;
  return `Latency min/avg/max: 0/0.0/0
Received: ${p.counters.received}
Sent: ${p.counters.sent}
Connections: ${s.host.connections.size}
Outstanding: 0
Zxid: 0x${p.zxid.toString(16)}
Mode: ${mode}
Node count: ${p.tree.size}
${extra}`;
}

describe('srvr and stat in each role (captured from ZooKeeper 3.8.0)', () => {
  it('the leader says Mode: leader and adds its proposal sizes, -1 before the first proposal', () => {
    const s = leader();
    expect(answerFourLetterWord('srvr', s)).toBe(`Zookeeper version: 3.8.0-test\n${srvrBody(s, 'leader', 'Proposal sizes last/min/max: -1/-1/-1\n')}`);
    expect(answerFourLetterWord('stat', s)).toBe(
      `Zookeeper version: 3.8.0-test\nClients:\n\n${srvrBody(s, 'leader', 'Proposal sizes last/min/max: -1/-1/-1\n')}`);
  });

  it('proposal sizes are last/min/max as the leader measured them', () => {
    const s = statsFor(fakeQuorum({ myid: 2, role: 'leading', proposalSizes: { last: 120, min: 36, max: 4096 } }), dataDir());
    expect(answerFourLetterWord('srvr', s)).toMatch(/\nNode count: \d+\nProposal sizes last\/min\/max: 120\/36\/4096\n$/);
  });

  it('a follower and an observer say their mode and nothing more', () => {
    const f = follower();
    const o = observer();
    expect(answerFourLetterWord('srvr', f)).toBe(`Zookeeper version: 3.8.0-test\n${srvrBody(f, 'follower')}`);
    expect(answerFourLetterWord('srvr', o)).toBe(`Zookeeper version: 3.8.0-test\n${srvrBody(o, 'observer')}`);
    expect(answerFourLetterWord('stat', o)).toBe(`Zookeeper version: 3.8.0-test\nClients:\n\n${srvrBody(o, 'observer')}`);
  });

  it('a standalone server still says standalone', () => {
    const s = statsFor(undefined, dataDir());
    expect(answerFourLetterWord('srvr', s)).toBe(`Zookeeper version: 3.8.0-test\n${srvrBody(s, 'standalone')}`);
  });
});

describe('conf in each role', () => {
  /** The standalone lines ZooKeeper prints first, with this server's paths and sizes. */
  function head(s: ServerStats, id: number): string {
    const d = s.dirSizes();
    return `clientPort=${CAPTURED_CLIENT_PORTS[id]}
secureClientPort=-1
dataDir=${s.snapDir}
dataDirSize=${d.datadir_size}
dataLogDir=${s.logDir}
dataLogSize=${d.logdir_size}
tickTime=1000
maxClientCnxns=60
minSessionTimeout=2000
maxSessionTimeout=20000
clientPortListenBacklog=-1
serverId=${id}
`;
  }
  /** The lines a quorum peer adds, as the captured servers printed them (no final newline). */
  const quorumLines = (electionPort: number, quorumPort: number, peerType: number): string => `initLimit=10
syncLimit=5
electionAlg=3
electionPort=${electionPort}
quorumPort=${quorumPort}
peerType=${peerType}
membership: 
server.1=127.0.0.1:36095:39335:participant
server.2=127.0.0.1:37429:38635:participant
server.3=127.0.0.1:43117:33957:observer
version=0`;

  it('a voter adds initLimit, syncLimit, electionAlg, its ports, peerType 0 and the config text, without a final newline', () => {
    const f = follower();
    expect(answerFourLetterWord('conf', f)).toBe(head(f, 1) + quorumLines(39335, 36095, 0));
    const l = leader();
    expect(answerFourLetterWord('conf', l)).toBe(head(l, 2) + quorumLines(38635, 37429, 0));
  });

  it('an observer says peerType=1', () => {
    const o = observer();
    expect(answerFourLetterWord('conf', o)).toBe(head(o, 3) + quorumLines(33957, 43117, 1));
  });

  it('several addresses (multiAddress) print their ports joined by |', () => {
    const text = 'server.1=10.0.0.2:2888:3888|10.0.0.1:2889:3889:participant\nserver.2=10.0.0.3:2888:3888:participant\nversion=0';
    const s = statsFor(fakeQuorum({ myid: 1, role: 'following', configText: text, multiAddress: true }), dataDir());
    expect(answerFourLetterWord('conf', s)).toContain('\nelectionPort=3889|3888\nquorumPort=2889|2888\n');
  });
});

describe('isro and the words that work while an ensemble member is not serving', () => {
  it('isro says rw in every serving role', () => {
    for (const s of [leader(), follower(), observer()]) expect(answerFourLetterWord('isro', s)).toBe('rw');
  });

  it('electing: ruok, envi, gtmk and stmk answer; isro says null, hash the message bare, the rest the message and a newline', () => {
    const s = statsFor(fakeQuorum({ myid: 1, role: 'looking', phase: 'election', leaderId: null, serving: false }), dataDir());
    const notServing = 'This ZooKeeper instance is not currently serving requests';
    const answers = Object.fromEntries(FOUR_LETTER_WORDS.map((w) => [w, answerFourLetterWord(w, s)]));
    expect(answers.ruok).toBe('imok');
    expect(answers.gtmk).toBe('306');
    expect(answers.stmk).toBe('');
    expect(answers.envi).toMatch(/^Environment:\nzookeeper\.version=3\.8\.0-test\n/);
    expect(answers.isro).toBe('null');
    expect(answers.hash).toBe(notServing);
    for (const w of ['srvr', 'stat', 'mntr', 'conf', 'cons', 'dump', 'wchs', 'wchc', 'wchp', 'dirs', 'crst', 'srst']) {
      expect(answers[w], w).toBe(`${notServing}\n`);
    }
  });

  it('a follower still syncing is not serving either', () => {
    const s = statsFor(fakeQuorum({ myid: 1, role: 'following', phase: 'synchronization', serving: false }), dataDir());
    expect(answerFourLetterWord('srvr', s)).toBe('This ZooKeeper instance is not currently serving requests\n');
  });
});
