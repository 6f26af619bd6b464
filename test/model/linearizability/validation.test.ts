import { OptionError } from '@paddock/edges';
import { describe, expect, it } from 'vitest';
import { checkLinearizability, type CheckOptions, zookeeperModel } from './index.js';
import { children, createSeq, del, get, ok, op, open, set, value } from './dsl.js';

const model = zookeeperModel({ sequenceParents: ['/q'] });
const good = op(1, 0, 1, set('/a', 'x'), ok());

/** Bad input: an OptionError (a TypeError) whose message names the field and the value. */
const BAD: readonly { name: string; history: unknown; options?: CheckOptions; says: readonly string[] }[] = [
  { name: 'not an array', history: { ops: [] }, says: ['history', '{"ops":[]}'] },
  { name: 'a call that is not a number', history: [{ ...good, call: Number.NaN }], says: ['history[0].call', 'NaN'] },
  { name: 'a return before the call', history: [{ ...good, call: 5, ret: 2 }], says: ['history[0].ret', '2', 'call (5)'] },
  { name: 'a reply on an op without return', history: [{ ...good, ret: Infinity }], says: ['history[0].output', 'absent'] },
  { name: 'no reply on an op that returned', history: [{ client: 1, call: 0, ret: 1, input: set('/a', 'x') }], says: ['history[0].output', 'undefined'] },
  { name: 'a client with two ops at once', history: [op(1, 0, 10, set('/a', 'x'), ok()), op(1, 5, 20, get('/a'), value('x', 1))], says: ['history[1].call', '5', 'history[0]'] },
  { name: 'a client acting after an op without reply', history: [open(1, 0, set('/a', 'x')), op(1, 5, 20, get('/a'), value('x', 1))], says: ['history[1].client', 'new client id'] },
  { name: 'an unknown op', history: [{ ...good, input: { op: 'frob', path: '/a' } }], says: ['history[0].input.op', '"frob"'] },
  { name: 'a bad path', history: [{ ...good, input: set('/a/', 'x') }], says: ['history[0].input.path', '"/a/"', 'must not end'] },
  { name: 'a version that is not an integer', history: [{ ...good, input: { op: 'setData', path: '/a', data: 'x', version: 'x' } }], says: ['history[0].input.version', '"x"'] },
  { name: 'an outcome the model does not know', history: [{ ...good, output: { code: 'ConnectionLoss' } }], says: ['history[0].output.code', '"ConnectionLoss"', 'Infinity'] },
  { name: 'getData without a version', history: [op(1, 0, 1, get('/a'), ok({ data: 'x' }))], says: ['history[0].output.version', 'undefined'] },
  { name: 'getChildren of a parent not declared', history: [op(1, 0, 1, children('/p'), ok({ children: [] }))], says: ['history[0].input.path', '"/p"', 'sequenceParents'] },
  { name: 'a sequential create outside the parents', history: [op(1, 0, 1, createSeq('/p/x-'), ok({ path: '/p/x-0000000000' }))], says: ['"/p/x-"'] },
  { name: 'a setData under a sequence parent', history: [op(1, 0, 1, set('/q/x', 'y'), ok())], says: ['"/q/x"', 'setData'] },
  { name: 'a versioned delete under a sequence parent', history: [op(1, 0, 1, del('/q/x', 3), ok())], says: ['history[0].input.version', '3'] },
  { name: 'a register op on a sequence parent', history: [op(1, 0, 1, get('/q'), value('', 0))], says: ['"/q"', 'getData'] },
  { name: 'synced on a write', history: [{ ...good, synced: true }], says: ['history[0].synced', 'read'] },
  { name: 'an unknown read mode', history: [good], options: { reads: 'strong' as never }, says: ['options.reads', '"strong"'] },
  { name: 'a step budget of 0', history: [good], options: { maxSteps: 0 }, says: ['options.maxSteps', '0'] },
];

describe('bad input is a clear error, never a crash', () => {
  for (const row of BAD) {
    it(row.name, () => {
      let thrown: unknown;
      try {
        checkLinearizability(model, row.history, row.options);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(OptionError);
      expect(thrown).toBeInstanceOf(TypeError);
      for (const s of row.says) expect((thrown as Error).message).toContain(s);
    });
  }

  it('bad model options name the option', () => {
    expect(() => zookeeperModel({ sequenceParents: ['q'] })).toThrow(/sequenceParents\[0\].*"q"/);
    expect(() => zookeeperModel({ initial: { '/a': { data: 'x', version: -2 } } })).toThrow(/initial\["\/a"\]\.version.*-2/);
  });
});
