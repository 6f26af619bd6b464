import { describe, expect, it } from 'vitest';
import { JuteReader, JuteWriter, OpCode, codec, type RecordName, type RecordType } from '@paddock/coord-protocol';
import { ManualClock } from '@paddock/edges';
import { createLogger } from '../base/logger.js';
import { buildPipeline } from './build-pipeline.js';
import { CapturingConn, ManualTxnLog, OPEN_ACL } from './testing/pipeline-harness.js';
import { LatencyCounter, NO_OP } from './request-stats.js';

/** A connection that also records the held count each time the pipeline pauses or resumes it. */
class RecordingConn extends CapturingConn {
  readonly pauses: { paused: boolean; held: number }[] = [];
  override pauseInput(paused: boolean): void {
    super.pauseInput(paused);
    this.pauses.push({ paused, held: this.held });
  }
}

function setup() {
  const clock = new ManualClock();
  const log = new ManualTxnLog();
  const pipeline = buildPipeline({
    tickTime: 100, minSessionTimeout: 200, maxSessionTimeout: 2000, serverId: 1, extendedTypes: true,
    clock, log, logger: createLogger('silent'),
  });
  let xid = 0;
  const open = (): RecordingConn => {
    const conn = new RecordingConn();
    pipeline.connect(conn, { protocolVersion: 0, lastZxidSeen: 0, timeOut: 1000, sessionId: 0n, passwd: Buffer.alloc(16) }, false);
    log.flush();
    conn.frames.length = 0;
    return conn;
  };
  const send = <N extends RecordName>(conn: CapturingConn, op: number, name: N, req: RecordType<N>): number => {
    const w = new JuteWriter();
    codec(name).encode(w, req);
    pipeline.request(conn, ++xid, op, new JuteReader(w.take()));
    return xid;
  };
  const create = (conn: CapturingConn, path: string) =>
    send(conn, OpCode.create, 'CreateRequest', { path, data: Buffer.from('x'), acl: OPEN_ACL, flags: 0 });
  const exists = (conn: CapturingConn, path: string) => send(conn, OpCode.exists, 'ExistsRequest', { path, watch: false });
  return { clock, log, pipeline, stats: pipeline.stats, open, create, exists };
}

const xidOf = (frame: Buffer): number => frame.readInt32BE(4);

describe('LatencyCounter', () => {
  it('reports 0s before the first sample and min/avg/max after', () => {
    const l = new LatencyCounter();
    expect([l.min, l.avg, l.max]).toEqual([0, 0, 0]);
    for (const ms of [5, 0, 7]) l.add(ms);
    expect([l.min, l.avg, l.max, l.count, l.total]).toEqual([0, 4, 7, 3, 12]);
    l.reset();
    expect([l.min, l.avg, l.max, l.count]).toEqual([0, 0, 0, 0]);
  });
});

describe('request stats through the durability gate', () => {
  it('measures a write from arrival until its reply leaves the gate', () => {
    const t = setup();
    const c = t.open();
    const xid = t.create(c, '/a');
    expect(c.frames).toHaveLength(0);
    expect(t.stats.outstanding).toBe(1);
    expect(t.stats.of(c)!.outstanding).toBe(1);
    t.clock.advance(7);
    t.log.flush();
    expect(c.frames.map(xidOf)).toEqual([xid]);
    expect(t.stats.outstanding).toBe(0);
    expect([t.stats.latency.min, t.stats.latency.avg, t.stats.latency.max]).toEqual([7, 7, 7]);
    const cs = t.stats.of(c)!;
    expect(cs).toMatchObject({ lastOp: OpCode.create, lastCxid: xid, lastZxid: t.pipeline.zxid, lastLatency: 7, outstanding: 0 });
    expect(cs.lastResponseTime).toBe(Math.floor(t.clock.monotonic()));
  });

  it('counts a read queued behind another connection\'s write until that write is durable', () => {
    const t = setup();
    const writer = t.open();
    const reader = t.open();
    t.create(writer, '/a');
    const read = t.exists(reader, '/');
    expect(t.stats.outstanding).toBe(2);
    t.clock.advance(3);
    t.log.flush();
    expect(reader.frames.map(xidOf)).toEqual([read]);
    expect(t.stats.of(reader)!.lastLatency).toBe(3);
    // A read with nothing ahead of it goes out at once.
    t.exists(reader, '/');
    expect(t.stats.of(reader)!.lastLatency).toBe(0);
    expect(t.stats.latency.count).toBe(3);
  });

  it('remembers reply sizes and resets what srst and crst reset', () => {
    const t = setup();
    const c = t.open();
    t.exists(c, '/');
    t.exists(c, '/missing');
    const [found, missing] = c.frames;
    expect(t.stats.maxResponseSize).toBe(found!.length - 4);
    expect(t.stats.minResponseSize).toBe(missing!.length - 4);
    expect(t.stats.lastResponseSize).toBe(missing!.length - 4);
    t.stats.resetConnections();
    expect(t.stats.of(c)).toMatchObject({ lastOp: NO_OP, lastCxid: -1, lastZxid: -1, count: 0, lastLatency: 0 });
    expect(t.stats.latency.count).toBe(2);
    t.stats.resetServer();
    expect(t.stats.latency.count).toBe(0);
    expect([t.stats.lastResponseSize, t.stats.minResponseSize, t.stats.maxResponseSize]).toEqual([-1, -1, -1]);
  });

  it('forgets a closed connection; its held reply still counts for the server', () => {
    const t = setup();
    const c = t.open();
    t.create(c, '/a');
    t.pipeline.connectionClosed(c);
    expect(t.stats.of(c)).toBeUndefined();
    t.log.flush();
    expect(t.stats.outstanding).toBe(0);
    expect(t.stats.latency.count).toBe(1);
  });
});

describe('the per-connection bound on held replies', () => {
  it('pauses reading at 10,000 held replies, resumes at half, and delivers every reply in order', () => {
    const t = setup();
    const c = t.open();
    const sent: number[] = [];
    // Feed requests the way the socket would: until the pipeline asks to stop reading.
    while (!c.paused) sent.push(t.create(c, `/n${sent.length}`));
    expect(sent).toHaveLength(10_000);
    expect(c.pauses).toEqual([{ paused: true, held: 10_000 }]);
    expect(t.stats.outstanding).toBe(10_000);
    t.log.flush();
    expect(c.pauses).toEqual([{ paused: true, held: 10_000 }, { paused: false, held: 5_000 }]);
    expect(c.frames.map(xidOf)).toEqual(sent);
    expect(t.stats.outstanding).toBe(0);
    expect(c.held).toBe(0);
  });
});
