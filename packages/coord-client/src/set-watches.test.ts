import { describe, expect, it } from 'vitest';
import { OpCode } from '@paddock/coord-protocol';
import { SET_WATCHES_MAX_LENGTH, setWatchesPackets, type WatchSnapshot } from './set-watches.js';

const none: WatchSnapshot = { data: [], exist: [], child: [], persistent: [], persistentRecursive: [] };

describe('setWatchesPackets', () => {
  it('sends nothing without watches', () => {
    expect(setWatchesPackets(5, none)).toEqual([]);
  });

  it('uses SetWatches without persistent watches and SetWatches2 with them', () => {
    expect(setWatchesPackets(7, { ...none, data: ['/d'], exist: ['/e'], child: ['/c'] })).toEqual([{
      op: OpCode.setWatches,
      record: { relativeZxid: 7, dataWatches: ['/d'], existWatches: ['/e'], childWatches: ['/c'] },
    }]);
    expect(setWatchesPackets(7, { ...none, data: ['/d'], persistentRecursive: ['/r'] })).toEqual([{
      op: OpCode.setWatches2,
      record: {
        relativeZxid: 7, dataWatches: ['/d'], existWatches: [], childWatches: [],
        persistentWatches: [], persistentRecursiveWatches: ['/r'],
      },
    }]);
  });

  it('splits a large set into packets of about 128 KB, keeping every path once and in order', () => {
    const path = (k: string, i: number): string => `/${k}/${'x'.repeat(1000)}/${i}`;
    const snap: WatchSnapshot = {
      data: Array.from({ length: 100 }, (_, i) => path('d', i)),
      exist: Array.from({ length: 100 }, (_, i) => path('e', i)),
      child: Array.from({ length: 100 }, (_, i) => path('c', i)),
      persistent: Array.from({ length: 60 }, (_, i) => path('p', i)),
      persistentRecursive: [],
    };
    const packets = setWatchesPackets(1, snap);
    expect(packets.length).toBe(3);
    for (const p of packets) {
      const r = p.record as Record<string, unknown>;
      const paths = Object.values(r).filter(Array.isArray).flat() as string[];
      const chars = paths.reduce((n, s) => n + s.length, 0);
      expect(chars).toBeLessThan(SET_WATCHES_MAX_LENGTH + 1100);
      expect(chars).toBeGreaterThan(0);
    }
    expect(packets.map((p) => p.op)).toEqual([OpCode.setWatches, OpCode.setWatches, OpCode.setWatches2]);
    const all = (k: 'dataWatches' | 'existWatches' | 'childWatches'): string[] => packets.flatMap((p) => p.record[k]);
    expect(all('dataWatches')).toEqual(snap.data);
    expect(all('existWatches')).toEqual(snap.exist);
    expect(all('childWatches')).toEqual(snap.child);
    expect(packets.flatMap((p) => (p.op === OpCode.setWatches2 ? p.record.persistentWatches : []))).toEqual(snap.persistent);
  });

  it('puts a single path longer than the limit in a packet of its own', () => {
    const huge = `/${'y'.repeat(200)}`;
    const packets = setWatchesPackets(0, { ...none, data: [huge, '/a'] }, 100);
    expect(packets.map((p) => p.record.dataWatches)).toEqual([[huge], ['/a']]);
  });
});
