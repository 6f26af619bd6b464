import { JuteWriter, OpCode, encodeMultiRequest } from '@paddock/coord-protocol';
import {
  abs, create, m, multiRead, open, ping, rawOp, scenario, setData, type Scenario,
} from '../steps.js';

export const scenarios: Scenario[] = [
  scenario('multiRead returns data and children', [
    open('s1'),
    create('s1', '/a', 'x'), create('s1', '/a/c1'), create('s1', '/a/c2'),
    setData('s1', '/a', 'y'),
    multiRead('s1', m.getData('/a'), m.getChildren('/a'), m.getData('/a/c1')),
  ]),
  scenario('multiRead reports errors per op without failing the rest', [
    open('s1'),
    create('s1', '/a', 'x'),
    multiRead('s1', m.getData('/missing'), m.getData('/a'), m.getChildren('/missing'), m.getChildren('/a')),
  ]),
  scenario('empty multiRead', [
    open('s1'),
    create('s1', '/a'),
    multiRead('s1'),
    ping('s1'),
  ]),
  scenario('multiRead with write ops inside', [
    open('s1'),
    multiRead('s1', m.create('/a'), m.getData('/a')),
    multiRead('s1', m.setData('/a', 'x')),
  ]),
  scenario('multiRead with one write op of each kind', [
    open('s1'),
    create('s1', '/a'),
    multiRead('s1', m.create('/b')),
    multiRead('s1', m.create2('/b')),
    multiRead('s1', m.delete('/a')),
    multiRead('s1', m.check('/a', 0)),
    multiRead('s1', m.getData('/a'), m.setData('/a', 'x')),
    multiRead('s1', m.getData('/a'), m.create('/b')),
    multiRead('s1', m.delete('/a'), m.getData('/a')),
  ]),
  scenario('multiRead with invalid paths', [
    open('s1'),
    multiRead('s1', m.getData(abs('bad')), m.getChildren(abs('/x/'))),
  ]),
  scenario('multiRead of system nodes', [
    open('s1'),
    multiRead('s1', m.getData(abs('/zookeeper')), m.getChildren(abs('/zookeeper')), m.getData(abs('/zookeeper/config'))),
  ]),
  scenario('multiRead ignores the watch flag of its ops', [
    open('s1'), open('s2'),
    create('s2', '/a', 'x'),
    rawOp('s1', OpCode.multiRead, (c) => {
      const w = new JuteWriter();
      encodeMultiRequest(w, [
        { type: OpCode.getData, body: { path: c.path('/a'), watch: true } },
        { type: OpCode.getChildren, body: { path: c.path('/a'), watch: true } },
      ]);
      return w.take();
    }, 'multiRead [getData $/a watch; getChildren $/a watch]'),
    setData('s2', '/a', 'y'),
    create('s2', '/a/kid'),
    ping('s1'),
  ]),
  scenario('multiRead with a truncated body', [
    open('s1'),
    rawOp('s1', OpCode.multiRead, Buffer.from([0, 0, 0, 4, 0]), 'multiRead [truncated]'),
  ]),
];
