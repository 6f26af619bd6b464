import { describe, expect, it } from 'vitest';
import { ReplyOrderError, RequestQueue, type Request } from './request-queue.js';

function req(xid: number, counted = true): Request & { settled: number[] } {
  const settled: number[] = [];
  return { xid, op: 4, frame: Buffer.alloc(0), counted, settled, finish: (err) => { settled.push(err); } };
}

describe('RequestQueue', () => {
  it('matches replies to the oldest request in flight and refuses any other xid', () => {
    const q = new RequestQueue(10);
    q.sent(req(1));
    q.sent(req(2));
    expect(q.match(1).xid).toBe(1);
    expect(() => q.match(3)).toThrow(ReplyOrderError);
    expect(q.match(2).xid).toBe(2);
    expect(() => q.match(4)).toThrow(/nothing in flight/);
  });

  it('counts caller requests, held and in flight, against the bound; internal packets are free', () => {
    const q = new RequestQueue(2);
    q.hold(req(1));
    q.sent(req(-8, false));
    expect(q.full).toBe(false);
    q.sent(req(2));
    expect(q.full).toBe(true);
    expect(q.size).toBe(2);
    const [held] = q.takeUnsent();
    q.sent(held!, true);
    expect(q.size).toBe(2);
    q.match(-8);
    q.match(2);
    expect(q.size).toBe(1);
  });

  it('drains in-flight requests before held ones, and resets the count', () => {
    const q = new RequestQueue(100);
    q.hold(req(3));
    q.sent(req(1));
    q.sent(req(2));
    expect(q.drain().map((r) => r.xid)).toEqual([1, 2, 3]);
    expect(q.size).toBe(0);
  });

  it('stays correct across many pushes and shifts (head compaction)', () => {
    const q = new RequestQueue(1_000_000);
    for (let round = 0; round < 3; round++) {
      for (let i = 1; i <= 5000; i++) q.sent(req(i));
      for (let i = 1; i <= 5000; i++) expect(q.match(i).xid).toBe(i);
    }
    expect(q.inFlightCount).toBe(0);
  });
});
