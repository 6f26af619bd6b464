import { describe, expect, it } from 'vitest';
import { DECODE_CASES } from './decode-cost-cases.js';
import { formatDecodeTable, measureCase } from './decode-cost.js';

// Keeps `npm run bench -- rpc-decode` from rotting: one case (the harmless one) through a real
// provider child and the report. Figures are printed, never asserted.
describe('rpc-decode bench', () => {
  it('sends a request to a provider child and reports its memory and event-loop block', async () => {
    const plain = DECODE_CASES.find((c) => c.name.includes('plain'));
    expect(plain).toBeDefined();
    const row = await measureCase(plain!);
    expect(row.answer).toBe('result 1');
    expect(row.requestBytes).toBeGreaterThan(plain!.args.length);
    expect(row.report.peakRssGrowth).toBeGreaterThan(0);
    const table = formatDecodeTable([row]);
    expect(table).toHaveLength(2);
    expect(table[1]).toContain(plain!.name);
  }, 60_000);
});
