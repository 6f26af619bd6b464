import { describe, expect, it } from 'vitest';
import { OPS, type OpSpec, codec } from '@paddock/coord-protocol';
import { OP_TABLE, type OpHandler } from './op-table.js';

/** The codec a row answers with on success; null for a header-only reply. */
function responseOf(h: OpHandler): unknown {
  return 'response' in h ? h.response : undefined;
}

const expected = (spec: OpSpec) => (spec.response === null ? null : codec(spec.response));

describe("the op table and coord-protocol's OPS: one definition of what each op carries", () => {
  it('serves every op OPS lists, as a write exactly when OPS says it writes', () => {
    for (const spec of OPS) {
      const h = OP_TABLE.get(spec.code);
      expect(h, spec.name).toBeDefined();
      const writes = h!.kind === 'write' || (h!.kind === 'control' && h!.name === 'closeSession');
      expect(writes, spec.name).toBe(spec.write);
    }
  });

  it('lists in OPS every op a client may send that the table serves', () => {
    const listed = new Set(OPS.map((s) => s.code));
    // Refused before any record is read: createSession comes only in a ConnectRequest, reconfig
    // is disabled, deleteContainer is the server's own.
    const refused = [...OP_TABLE].filter(([code]) => !listed.has(code)).map(([code]) => code);
    expect(refused.sort((a, b) => a - b)).toEqual([-10, 16, 20]);
  });

  it('answers each op with the response record OPS names (addWatch: ErrorResponse, as ZooKeeper)', () => {
    for (const spec of OPS) {
      if (spec.name === 'multi' || spec.name === 'multiRead') continue;
      expect(responseOf(OP_TABLE.get(spec.code)!), spec.name).toBe(expected(spec));
    }
  });
});
