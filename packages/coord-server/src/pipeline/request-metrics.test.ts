import { OpCode } from '@paddock/coord-protocol';
import { describe, expect, it } from 'vitest';
import { MsSummary } from './ms-summary.js';
import { LATENCY_BUCKETS, RequestMetrics } from './request-metrics.js';

describe('RequestMetrics', () => {
  it('puts a reply in its op\'s bucket (upper bounds inclusive) and in readlatency or updatelatency', () => {
    const m = new RequestMetrics();
    const row = (name: string) => m.opNames.indexOf(name as never);
    m.replied(OpCode.create, 10, 10.1); // 100 us: the first bucket
    m.replied(OpCode.getData, 10, 10.3); // 300 us: the third (500 us)
    m.replied(OpCode.getData, 0, 20_000); // past 10 s: the overflow slot
    m.replied(OpCode.closeSession, 5, 5); // a txn: updatelatency
    m.replied(OpCode.ping, 5, 7);
    expect([...m.buckets[row('create')]!].indexOf(1)).toBe(0);
    expect(m.buckets[row('getData')]![2]).toBe(1);
    expect(m.buckets[row('getData')]![LATENCY_BUCKETS.length]).toBe(1);
    expect(m.counts[row('getData')]).toBe(2);
    expect(m.seconds[row('getData')]).toBeCloseTo(20.0003);
    expect(m.updateLatency.count).toBe(2);
    expect(m.readLatency.count).toBe(3);
    // Whole ms of floored readings, as ZooKeeper: 10 -> 20000 is 19990, 5 -> 7 is 2.
    expect(m.readLatency.max).toBe(20_000);
    expect(m.readLatency.min).toBe(0);
  });

  it('counts an unknown op in readlatency only', () => {
    const m = new RequestMetrics();
    m.replied(999, 0, 1);
    m.replied(-99, 0, 1);
    expect(m.readLatency.count).toBe(2);
    expect(m.counts.reduce((a, b) => a + b, 0)).toBe(0);
  });
});

describe('MsSummary', () => {
  it('reports ZooKeeper\'s zeros when empty, then exact quantiles below 1024 ms', () => {
    const s = new MsSummary();
    expect([s.min, s.max, s.avg, s.quantile(0.5)]).toEqual([0, 0, 0, 0]);
    for (let ms = 1; ms <= 100; ms++) s.observe(ms);
    expect([s.min, s.max, s.count, s.sum, s.avg]).toEqual([1, 100, 100, 5050, 50.5]);
    expect([s.quantile(0.5), s.quantile(0.95), s.quantile(0.99), s.quantile(0.999)]).toEqual([50, 95, 99, 100]);
    s.observe(5000);
    expect(s.quantile(1)).toBe(5000);
  });
});
