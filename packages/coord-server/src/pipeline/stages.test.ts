import { describe, expect, it } from 'vitest';
import { Code, JuteReader, JuteWriter, OpCode, type RecordName, type RecordType, codec, encodeMultiRequest } from '@paddock/coord-protocol';
import { ManualClock } from '@paddock/edges';
import { createLogger } from '../base/logger.js';
import { SessionTracker } from '../session/session-tracker.js';
import { DataTree } from '../tree/data-tree.js';
import { WatchManager } from '../watch/watch-manager.js';
import { ApplyStage } from './apply-stage.js';
import type { ClientConn } from './client-conn.js';
import { DurabilityGate } from './durability-gate.js';
import { LogStage } from './log-stage.js';
import { OP_TABLE } from './op-table.js';
import { PrepStage } from './prep-stage.js';
import { ReplyEncoder } from './reply-encoder.js';
import { ReplyStage } from './reply-stage.js';
import { RequestStats } from './request-stats.js';
import { Request, type Stage } from './request.js';
import { CapturingConn, ManualTxnLog, OPEN_ACL } from './testing/pipeline-harness.js';

/** The next stage of a stage under test: it keeps what it is handed. */
class Capture implements Stage {
  readonly got: Request[] = [];
  process(req: Request): void {
    this.got.push(req);
  }
}

function body<N extends RecordName>(name: N, v: RecordType<N>): JuteReader {
  const w = new JuteWriter();
  codec(name).encode(w, v);
  return new JuteReader(w.take());
}

const conn = new CapturingConn();
const request = (op: number, b: JuteReader) => new Request(conn, 0x77n, 1, op, OP_TABLE.get(op), b, 0);
const logger = createLogger('silent');

describe('prep alone', () => {
  const setup = () => {
    const tree = new DataTree();
    const next = new Capture();
    const counters = { received: 0, sent: 0, writes: 0, reads: 0 };
    return { tree, next, prep: new PrepStage(tree, new SessionTracker(100, new ManualClock(), 1), counters, true, logger, next) };
  };

  it('turns a write into the txn it will be, without touching the tree', () => {
    const { tree, next, prep } = setup();
    prep.process(request(OpCode.create, body('CreateRequest', { path: '/a', data: null, acl: OPEN_ACL, flags: 0 })));
    expect(next.got[0]!.prepared).toMatchObject({ kind: 'create', path: '/a', parentCVersion: 1, owner: 0n });
    expect(tree.getNode('/a')).toBeUndefined();
    prep.process(request(OpCode.setData, body('SetDataRequest', { path: '/missing', data: null, version: -1 })));
    expect(next.got[1]!.prepared).toEqual({ kind: 'error', err: Code.NoNode });
  });

  it('passes reads on unprepared and refuses a multi with a null path before a zxid', () => {
    const { next, prep } = setup();
    prep.process(request(OpCode.exists, body('ExistsRequest', { path: '/', watch: false })));
    const w = new JuteWriter();
    encodeMultiRequest(w, [{ type: OpCode.check, body: { path: null, version: -1 } }]);
    prep.process(request(OpCode.multi, new JuteReader(w.take())));
    expect(next.got.map((r) => [r.prepared, r.err])).toEqual([[null, Code.OK], [null, Code.MarshallingError]]);
  });
});

describe('log alone', () => {
  it('numbers txns on from the recovered zxid, appends them, and passes the rest', () => {
    const txnLog = new ManualTxnLog();
    const next = new Capture();
    const gate = new DurabilityGate(txnLog, new RequestStats(), new ManualClock(), 41);
    const log = new LogStage(txnLog, new ManualClock(), gate, 41, next);
    for (const prepared of [{ kind: 'check', path: '/', version: 0 } as const, null, { kind: 'error', err: Code.NoNode } as const]) {
      const req = request(OpCode.check, new JuteReader(Buffer.alloc(0)));
      req.prepared = prepared;
      log.process(req);
    }
    expect(next.got.map((r) => r.zxid)).toEqual([42, -1, 43]);
    expect([txnLog.appended, txnLog.last]).toEqual([2, 43]);
  });
});

describe('apply → reply without prep and log (how a learner will take commits)', () => {
  it('applies a txn of no local client and sends nothing but the events it fires', () => {
    const tree = new DataTree();
    const stats = new RequestStats();
    const gate = new DurabilityGate(new ManualTxnLog(), stats, new ManualClock(), 0);
    const reply = new ReplyStage(gate, new ReplyEncoder(), tree, stats, new ManualClock());
    const db = { tree, sessions: new SessionTracker(100, new ManualClock(), 1), dataWatches: new WatchManager<ClientConn>(reply), childWatches: new WatchManager<ClientConn>(reply) };
    const watcher = new CapturingConn();
    db.childWatches.add('/', watcher, 0);
    const req = Request.internal(0n, OpCode.create, { kind: 'create', op: OpCode.create, path: '/x', data: null, acl: OPEN_ACL, owner: 0n, parentCVersion: 1 });
    req.txn = { zxid: 1, time: 0, sessionId: 0n, body: req.prepared! };
    new ApplyStage(db, logger, reply).process(req);
    expect(tree.getNode('/x')?.czxid).toBe(1);
    expect(watcher.events).toEqual([{ type: 4, state: 3, path: '/' }]);
    expect([watcher.frames, stats.counters.sent, stats.latency.count]).toEqual([[], 1, 0]);
  });
});
