import { describe, expect, it } from 'vitest';
import { PacketType } from '../wire/packet-types.js';
import { FROM_LEARNER } from '../wire/zab-payloads.js';
import type { QuorumInput } from '../wire/quorum-packet.js';
import { makeZxid } from '../zxid.js';
import { Leader, type LeaderOutput } from './leader.js';
import { Learner, type LearnerOutput } from './learner.js';
import type { Committed } from './sync-plan.js';

const TICK = 100;
const txn = (zxid: number): Buffer => Buffer.from(`t${zxid.toString(16)}`);
const history = (...zxids: number[]): Committed[] => zxids.map((zxid) => ({ zxid, txn: txn(zxid) }));

interface Server {
  acceptedEpoch: number;
  currentEpoch: number;
  log: number[];
  applied: number[];
  serving: boolean;
}

/**
 * One leader and its learners in one process: packets are delivered in order through a
 * queue, disk writes complete at once unless a server's disk is "stalled".
 */
class Ensemble {
  now = 0;
  readonly leader: Leader;
  readonly learners = new Map<number, Learner>();
  readonly servers = new Map<number, Server>();
  readonly queue: (() => void)[] = [];
  readonly stalled = new Set<number>();
  readonly closed: string[] = [];
  shutdown: string | null = null;
  led = -1;

  constructor(
    leaderHistory: Committed[], learners: { id: number; log: number[]; observer?: boolean; epoch?: number }[], voters = [1, 2, 3], leaderEpoch = 1,
    /** A window of the last `windowSize` commits, and what the leader's txn log answers to readLog (none: no log sync). */
    private readonly disk: { windowSize?: number; olderLog?: (from: number, before: number) => Committed[] | null } = {},
  ) {
    const last = leaderHistory.at(-1)?.zxid ?? 0;
    const ep = leaderEpoch;
    this.servers.set(1, { acceptedEpoch: ep, currentEpoch: ep, log: leaderHistory.map((c) => c.zxid), applied: leaderHistory.map((c) => c.zxid), serving: false });
    this.leader = new Leader(
      { myId: 1, voters, tickMs: TICK, initLimit: 10, syncLimit: 5, config: 'version=0', windowSize: disk.windowSize, logSync: disk.olderLog !== undefined },
      { acceptedEpoch: ep, currentEpoch: ep, lastZxid: last, recent: leaderHistory },
    );
    this.onLeader(this.leader.begin(this.now));
    for (const l of learners) {
      const epoch = l.epoch ?? 1;
      this.servers.set(l.id, { acceptedEpoch: epoch, currentEpoch: epoch, log: [...l.log], applied: [...l.log], serving: false });
      const learner = new Learner({ myId: l.id, observer: l.observer ?? false, initLimitMs: 10 * TICK, syncLimitMs: 5 * TICK });
      this.learners.set(l.id, learner);
      this.onLeader(this.leader.connected(this.now, l.id));
      this.onLearner(l.id, learner.connect(this.now, { acceptedEpoch: epoch, currentEpoch: epoch, lastZxid: l.log.at(-1) ?? 0 }));
    }
    this.run();
  }

  /** A learner that connects once the ensemble runs. */
  join(id: number, log: number[]): void {
    this.servers.set(id, { acceptedEpoch: 1, currentEpoch: 1, log: [...log], applied: [...log], serving: false });
    const learner = new Learner({ myId: id, observer: false, initLimitMs: 10 * TICK, syncLimitMs: 5 * TICK });
    this.learners.set(id, learner);
    this.onLeader(this.leader.connected(this.now, id));
    this.onLearner(id, learner.connect(this.now, { acceptedEpoch: 1, currentEpoch: 1, lastZxid: log.at(-1) ?? 0 }));
    this.run();
  }

  /** A stalled disk catches up: everything it was given to log is durable. */
  unstall(id: number): void {
    this.stalled.delete(id);
    const last = this.servers.get(id)!.log.at(-1) ?? 0;
    this.onLearner(id, this.learners.get(id)!.logged(last));
    this.run();
  }

  readonly outputs: string[] = [];

  run(): void {
    for (let i = 0; i < 100_000 && this.queue.length > 0; i++) this.queue.shift()!();
  }

  /** Writes `count` txns through the leader (its own fsync completes at once). */
  write(count: number): number[] {
    const zxids: number[] = [];
    for (let i = 0; i < count; i++) {
      const zxid = this.leader.newEpochZxid + this.servers.get(1)!.log.filter((z) => z > this.leader.newEpochZxid).length + 1;
      this.servers.get(1)!.log.push(zxid);
      zxids.push(zxid);
      this.onLeader(this.leader.propose(zxid, txn(zxid)));
      this.onLeader(this.leader.logged(zxid));
    }
    this.run();
    return zxids;
  }

  private onLeader(outs: LeaderOutput[]): void {
    const me = this.servers.get(1)!;
    for (const o of outs) {
      if (o.kind !== 'send') this.outputs.push(o.kind);
      switch (o.kind) {
        case 'send': this.deliver(o.conn, { kind: 'packet', packet: o.packet }); break;
        case 'sendSnapshot':
          this.deliver(o.conn, { kind: 'packet', packet: { type: PacketType.SNAP, zxid: o.zxid, data: null, authinfo: null } });
          this.deliver(o.conn, { kind: 'snapshot', snapshot: Buffer.from(JSON.stringify(me.applied)) });
          break;
        case 'close': this.closed.push(`${o.conn}: ${o.reason}`); break;
        case 'readLog': this.onLeader(this.leader.logRead(o.conn, this.disk.olderLog!(o.from, o.before))); break;
        case 'acceptEpoch': me.acceptedEpoch = o.epoch; break;
        case 'currentEpoch': me.currentEpoch = o.epoch; break;
        case 'lead': this.led = o.zxid; me.serving = true; break;
        case 'commit': me.applied.push(o.zxid); break;
        case 'shutdown': this.shutdown = o.reason; break;
        default: break;
      }
    }
  }

  private deliver(id: number, input: QuorumInput): void {
    this.queue.push(() => {
      const l = this.learners.get(id);
      if (l) this.onLearner(id, l.receive(this.now, input));
    });
  }

  private onLearner(id: number, outs: LearnerOutput[]): void {
    const s = this.servers.get(id)!;
    const l = this.learners.get(id)!;
    for (const o of outs) {
      switch (o.kind) {
        case 'send': this.queue.push(() => this.onLeader(this.leader.receive(this.now, id, o.packet))); break;
        case 'acceptEpoch': s.acceptedEpoch = o.epoch; break;
        case 'currentEpoch': s.currentEpoch = o.epoch; break;
        case 'truncate': s.log = s.log.filter((z) => z <= o.zxid); s.applied = s.applied.filter((z) => z <= o.zxid); break;
        case 'loadSnapshot': s.applied = JSON.parse(o.snapshot.toString()) as number[]; s.log = []; break;
        case 'log':
          s.log.push(o.zxid);
          if (!this.stalled.has(id)) this.queue.push(() => this.onLearner(id, l.logged(o.zxid)));
          break;
        case 'apply': s.applied.push(o.zxid); break;
        case 'snapshot': this.queue.push(() => this.onLearner(id, l.snapshotted())); break;
        case 'serve': s.serving = true; break;
        case 'answerPing': {
          const ping = { type: PacketType.PING, zxid: o.zxid, data: FROM_LEARNER.PING.encode([]), authinfo: null };
          this.queue.push(() => this.onLeader(this.leader.receive(this.now, id, ping)));
          break;
        }
        case 'shutdown': this.closed.push(`learner ${id}: ${o.reason}`); break;
        default: break;
      }
    }
  }
}

const z = makeZxid;

describe('leader and learners (ZAB) in one process', () => {
  it('discovery, DIFF sync and broadcast: a new epoch, everyone serving, writes committed everywhere in order', () => {
    const past = history(z(1, 1), z(1, 2), z(1, 3));
    const e = new Ensemble(past, [{ id: 2, log: [z(1, 1), z(1, 2), z(1, 3)] }, { id: 3, log: [z(1, 1)] }]);
    expect(e.led).toBe(z(2, 0));
    expect([...e.servers.values()].map((s) => [s.acceptedEpoch, s.currentEpoch, s.serving])).toEqual([[2, 2, true], [2, 2, true], [2, 2, true]]);
    expect(e.servers.get(3)!.applied).toEqual([z(1, 1), z(1, 2), z(1, 3)]);
    const written = e.write(5);
    for (const s of e.servers.values()) expect(s.applied.slice(-5)).toEqual(written);
    expect(e.leader.synced()).toEqual({ followers: [2, 3], observers: [] });
  });

  it('the new epoch is one past the largest accepted epoch of the quorum', () => {
    const e = new Ensemble([], [{ id: 2, log: [], epoch: 6 }, { id: 3, log: [] }]);
    expect(e.led).toBe(z(7, 0));
  });

  it('SNAP for a learner behind the window, TRUNC for one with a txn never committed', () => {
    const past = history(z(1, 1), z(1, 2));
    // The leader (current epoch 2) never saw z(1,3), which the last epoch's leader proposed to 3 alone.
    const e = new Ensemble(past, [{ id: 2, log: [] }, { id: 3, log: [z(1, 1), z(1, 2), z(1, 3)] }], [1, 2, 3], 2);
    expect(e.servers.get(2)!.applied).toEqual([z(1, 1), z(1, 2)]); // from the snapshot
    expect(e.servers.get(3)!.log).toEqual([z(1, 1), z(1, 2)]); // z(1,3) truncated
    expect(e.led).toBe(z(3, 0));
  });

  it('a write commits with a quorum of ACKs; one stalled follower does not hold it up, two do', () => {
    const e = new Ensemble([], [{ id: 2, log: [] }, { id: 3, log: [] }]);
    e.stalled.add(3);
    const [a] = e.write(1);
    expect(e.servers.get(1)!.applied).toContain(a);
    e.stalled.add(2);
    const [b] = e.write(1);
    expect(e.servers.get(1)!.applied).not.toContain(b);
  });

  it('an observer gets INFORMs, never counts toward the quorum, and never ACKs', () => {
    const e = new Ensemble([], [{ id: 2, log: [] }, { id: 4, log: [], observer: true }], [1, 2, 3]);
    expect(e.led).toBe(z(2, 0));
    const written = e.write(3);
    expect(e.servers.get(4)!.applied).toEqual(written);
    expect(e.leader.synced()).toEqual({ followers: [2], observers: [4] });
    e.stalled.add(2);
    const [late] = e.write(1);
    expect(e.servers.get(4)!.applied).not.toContain(late);
  });

  it('a learner that needs a snapshot while a proposal is in flight waits, with writes held, until it commits', () => {
    const e = new Ensemble(history(z(1, 1)), [{ id: 2, log: [z(1, 1)] }]);
    e.stalled.add(2);
    const [inFlight] = e.write(1);
    expect(e.servers.get(1)!.applied).not.toContain(inFlight);
    e.outputs.length = 0;
    e.join(3, []); // behind the leader's window: it needs a snapshot
    // The leader's tree holds the proposal in flight: no snapshot of it yet, and no new writes.
    expect(e.outputs).toEqual(['hold']);
    expect(e.servers.get(3)!.serving).toBe(false);
    e.unstall(2);
    expect(e.outputs).toEqual(['hold', 'commit', 'sendSnapshot', 'release']);
    expect(e.servers.get(3)!.applied).toEqual([z(1, 1), inFlight]);
    expect(e.servers.get(3)!.serving).toBe(true);
  });

  it('counts each learner\'s packets as ZooKeeper\'s LearnerHandler does, for the `observers` command', () => {
    const e = new Ensemble([], [{ id: 2, log: [] }, { id: 4, log: [], observer: true }], [1, 2, 3]);
    const written = e.write(3);
    const counters = (sid: number) => e.leader.connectedLearners().find((l) => l.sid === sid)!.counters;
    const observer = counters(4);
    // DIFF, NEWLEADER, UPTODATE and 3 INFORMs went through the send queue; LEADERINFO goes past it.
    expect([observer.packetsSent, observer.lastZxid]).toEqual([6, written[2]]);
    // Counted from its NEWLEADER ACK on: the ACK of UPTODATE (an observer ACKs nothing else).
    expect([observer.packetsReceived, observer.requests]).toEqual([1, 0]);
    e['onLearner'](2, e.learners.get(2)!.forward({ sessionId: 5n, cxid: 1, type: 1, request: Buffer.alloc(0) }, null));
    e.run();
    const follower = counters(2);
    // The ACKs of UPTODATE and of the 3 proposals, and the REQUEST.
    expect([follower.packetsReceived, follower.requests]).toEqual([5, 1]);
    observer.reset();
    expect([observer.packetsSent, observer.packetsReceived, observer.requests, observer.lastZxid]).toEqual([0, 0, 0, -1]);
  });

  it('refuses a follower ahead of the leader', () => {
    const e = new Ensemble(history(z(1, 1)), [{ id: 2, log: [z(1, 1), z(1, 2)] }, { id: 3, log: [z(1, 1)] }]);
    // 2 claims a newer zxid in the same epoch: the leader drops it, and leads with 3.
    expect(e.closed).toContainEqual(expect.stringMatching(/^2: follower 2 is ahead of the leader/));
    expect(e.led).toBe(z(2, 0));
  });

  it('steps down when no quorum is heard from within syncLimit, and times out discovery without a quorum', () => {
    const e = new Ensemble([], [{ id: 2, log: [] }, { id: 3, log: [] }]);
    // Nobody answers pings any more: after syncLimit ticks the leader has no quorum.
    e.now = 6 * TICK;
    e['onLeader'](e.leader.tick(e.now));
    expect(e.shutdown).toMatch(/not sufficient followers synced/);
    const alone = new Ensemble([], []);
    expect(alone.led).toBe(-1);
    alone.now = 11 * TICK;
    alone['onLeader'](alone.leader.tick(alone.now));
    expect(alone.shutdown).toMatch(/timeout in discovery/);
  });

  it('gives a learner still syncing initLimit to acknowledge NEWLEADER, not syncLimit, as LearnerHandler does', () => {
    const e = new Ensemble(history(z(1, 1), z(1, 2)), [{ id: 2, log: [z(1, 1), z(1, 2)] }]);
    expect(e.led).toBe(z(2, 0));
    // 3 gets a DIFF whose txns its stalled disk never makes durable: no NEWLEADER ACK.
    e.stalled.add(3);
    e.join(3, [z(1, 1)]);
    const beat = (until: number): void => {
      while (e.now < until) {
        e.now += TICK / 2;
        e['onLeader'](e.leader.tick(e.now));
        e.run();
      }
    };
    beat(7 * TICK);
    expect(e.shutdown).toBeNull();
    expect(e.closed).toEqual([]);
    beat(12 * TICK);
    expect(e.closed).toContainEqual(expect.stringMatching(/^3: no packet for \d+ ms \(initLimit 1000 ms\)/));
    expect(e.shutdown).toBeNull();
  });

  describe('a learner behind the window of recent commits', () => {
    const past = history(...[1, 2, 3, 4, 5, 6].map((c) => z(1, c)));
    /** The leader's txn log holds all of `past`; `from` is the learner's zxid, `before` the window's first. */
    const fullLog = (from: number, before: number): Committed[] => {
      const start = past.findLastIndex((c) => c.zxid <= from);
      return past.slice(start, past.findIndex((c) => c.zxid >= before));
    };
    const learners = [{ id: 2, log: past.map((c) => c.zxid) }, { id: 3, log: [z(1, 1)] }];

    it('gets a DIFF of the older commits read from the txn log and the window after them, no snapshot', () => {
      const e = new Ensemble(past, learners, [1, 2, 3], 1, { windowSize: 2, olderLog: fullLog });
      expect(e.outputs).toContain('readLog');
      expect(e.outputs).not.toContain('sendSnapshot');
      expect(e.servers.get(3)!.applied).toEqual(past.map((c) => c.zxid));
      expect(e.servers.get(3)!.serving).toBe(true);
    });

    it('gets a snapshot when the log no longer holds them, or when what it holds does not reach the window', () => {
      for (const olderLog of [() => null, (from: number, before: number) => fullLog(from, before).slice(0, -1)]) {
        const e = new Ensemble(past, learners, [1, 2, 3], 1, { windowSize: 2, olderLog });
        expect(e.outputs).toContain('readLog');
        expect(e.outputs).toContain('sendSnapshot');
        expect(e.servers.get(3)!.applied).toEqual(past.map((c) => c.zxid));
      }
    });

    it('without log sync, gets a snapshot at once', () => {
      const e = new Ensemble(past, learners, [1, 2, 3], 1, { windowSize: 2 });
      expect(e.outputs).not.toContain('readLog');
      expect(e.outputs).toContain('sendSnapshot');
    });
  });
});
