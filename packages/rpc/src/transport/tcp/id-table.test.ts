import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdTable } from './id-table.js';

interface Entry {
  readonly id: number;
  readonly tag: string;
}

describe('IdTable', () => {
  it('adds, finds, deletes and grows', () => {
    const t = new IdTable<Entry>();
    for (let id = 0; id < 1000; id++) t.add({ id: id * 64, tag: `e${id}` });
    expect(t.size).toBe(1000);
    expect(t.get(64 * 999)?.tag).toBe('e999');
    expect(t.get(1)).toBeUndefined();
    for (let id = 0; id < 1000; id += 2) expect(t.delete(id * 64)?.tag).toBe(`e${id}`);
    expect(t.delete(0)).toBeUndefined();
    expect(t.size).toBe(500);
    for (let id = 1; id < 1000; id += 2) expect(t.has(id * 64)).toBe(true);
    expect(t.values().map((e) => e.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => (2 * i + 1) * 64));
    t.clear();
    expect(t.size).toBe(0);
    expect(t.get(64)).toBeUndefined();
  });

  it('behaves like a Map under any sequence of adds and deletes of uint32 ids', () => {
    const op = fc.oneof(
      fc.record({ add: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(0xffff_ffff, 0x8000_0000, 0x4000_0000)) }),
      fc.record({ del: fc.integer({ min: 0, max: 300 }) }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
      const t = new IdTable<Entry>();
      const model = new Map<number, Entry>();
      for (const o of ops) {
        if ('add' in o) {
          if (model.has(o.add)) continue;
          const e = { id: o.add, tag: String(o.add) };
          t.add(e);
          model.set(o.add, e);
        } else {
          expect(t.delete(o.del)).toBe(model.get(o.del));
          model.delete(o.del);
        }
        expect(t.size).toBe(model.size);
      }
      for (let id = 0; id <= 300; id++) expect(t.get(id)).toBe(model.get(id));
      expect(new Set(t.values())).toEqual(new Set(model.values()));
    }), { numRuns: 300 });
  });
});
