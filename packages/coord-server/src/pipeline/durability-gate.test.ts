import { describe, expect, it } from 'vitest';
import { EventType, JuteReader, JuteWriter, OpCode, codec } from '@paddock/coord-protocol';
import { ManualClock } from '@paddock/edges';
import { createLogger } from '../base/logger.js';
import { CapturingConn, ManualTxnLog, OPEN_ACL } from './testing/pipeline-harness.js';
import { buildPipeline } from './build-pipeline.js';

function setup() {
  const log = new ManualTxnLog();
  const pipeline = buildPipeline({
    tickTime: 100, minSessionTimeout: 200, maxSessionTimeout: 2000, serverId: 1, extendedTypes: true,
    clock: new ManualClock(), log, logger: createLogger('silent'),
  });
  const conn = new CapturingConn();
  pipeline.connect(conn, { protocolVersion: 0, lastZxidSeen: 0, timeOut: 1000, sessionId: 0n, passwd: Buffer.alloc(16) }, false);
  log.flush();
  conn.frames.length = 0;
  const w = new JuteWriter();
  codec('CreateRequest').encode(w, { path: '/n', data: null, acl: OPEN_ACL, flags: 2 });
  const create = w.take();
  let xid = 0;
  const write = () => pipeline.request(conn, ++xid, OpCode.create, new JuteReader(create));
  return { log, pipeline, conn, write };
}

describe('durability gate', () => {
  it('holds replies until their txn is durable, then sends them in order', () => {
    const { log, conn, write } = setup();
    write();
    write();
    expect(conn.frames).toHaveLength(0);
    log.flush(log.last - 1);
    expect(conn.frames).toHaveLength(1);
    log.flush();
    expect(conn.frames.map((f) => f.readInt32BE(4))).toEqual([1, 2]);
  });

  it('keeps its queue bounded under steady load that never lets it drain', () => {
    const { log, pipeline, conn, write } = setup();
    let maxSlots = 0;
    for (let i = 0; i < 50_000; i++) {
      write();
      // The disk is always one txn behind: something is held at every release.
      log.flush(log.last - 1);
      maxSlots = Math.max(maxSlots, pipeline.heldQueue.slots);
      conn.frames.length = 0;
    }
    expect(pipeline.heldQueue.waiting).toBe(1);
    expect(maxSlots).toBeLessThan(4096);
  });

  it('holds a watch event behind the txn that fired it, and counts the frames it lets out', () => {
    const { log, pipeline, conn, write } = setup();
    const watcher = new CapturingConn();
    pipeline.connect(watcher, { protocolVersion: 0, lastZxidSeen: 0, timeOut: 1000, sessionId: 0n, passwd: Buffer.alloc(16) }, false);
    log.flush();
    const w = new JuteWriter();
    codec('GetChildrenRequest').encode(w, { path: '/', watch: true });
    pipeline.request(watcher, 1, OpCode.getChildren, new JuteReader(w.take()));
    const sentBefore = pipeline.counters.sent;
    write();
    // The event is the pipeline's to send, through the gate: not before its txn is durable.
    expect([watcher.events, conn.frames]).toEqual([[], []]);
    log.flush();
    expect(watcher.events).toEqual([{ type: EventType.NodeChildrenChanged, state: 3, path: '/' }]);
    expect(conn.frames).toHaveLength(1);
    expect(pipeline.counters.sent - sentBefore).toBe(2);
  });
});

