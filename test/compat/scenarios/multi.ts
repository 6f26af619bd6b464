import { OpCode } from '@paddock/coord-protocol';
import {
  abs, create, exists, getChildren, getChildren2, getData, m, multi, open, ping, rawOp, scenario, setData, waitEvents,
  type Scenario,
} from '../steps.js';

export const scenarios: Scenario[] = [
  scenario('multi applies all ops under one zxid', [
    open('s1'),
    multi('s1', m.create('/a', 'x'), m.create2('/b', 'y'), m.setData('/a', 'z'), m.check('/b', 0)),
    getData('s1', '/a'),
    getData('s1', '/b'),
  ]),
  scenario('failed multi reports per-op results and applies nothing', [
    open('s1'),
    create('s1', '/exists'),
    multi('s1', m.create('/new'), m.create('/exists'), m.setData('/exists', 'x'), m.delete('/exists')),
    exists('s1', '/new'),
    getData('s1', '/exists'),
  ]),
  scenario('failed multi on its first op', [
    open('s1'),
    multi('s1', m.delete('/missing'), m.create('/a'), m.create('/b')),
    getChildren('s1', ''),
  ]),
  scenario('failed multi consumes one zxid', [
    open('s1'),
    ping('s1'),
    multi('s1', m.create('/a'), m.check('/a', 5)),
    ping('s1'),
    multi('s1', m.create('/a'), m.check('/a', 0)),
  ]),
  scenario('check op inside multi', [
    open('s1'),
    create('s1', '/a'),
    setData('s1', '/a', 'x'),
    multi('s1', m.check('/a', 1)),
    multi('s1', m.check('/a', 0)),
    multi('s1', m.check('/a', -1)),
    multi('s1', m.check('/missing', -1)),
  ]),
  scenario('empty multi', [
    open('s1'),
    ping('s1'),
    multi('s1'),
    ping('s1'),
  ]),
  scenario('multi sees its own earlier ops', [
    open('s1'),
    multi('s1', m.create('/p'), m.create('/p/c'), m.setData('/p/c', 'v', 0), m.check('/p/c', 1), m.delete('/p/c', 1)),
    getChildren2('s1', '/p'),
  ]),
  scenario('multi deletes and recreates the same path', [
    open('s1'),
    create('s1', '/a', 'old'),
    multi('s1', m.delete('/a'), m.create2('/a', 'new')),
    getData('s1', '/a'),
  ]),
  scenario('multi with versions that only hold inside it', [
    open('s1'),
    create('s1', '/a'),
    multi('s1', m.setData('/a', '1', 0), m.setData('/a', '2', 1), m.setData('/a', '3', 1)),
    getData('s1', '/a'),
  ]),
  scenario('multi with an invalid path', [
    open('s1'),
    multi('s1', m.create('/ok'), m.create(abs('no-slash')), m.create('/ok2')),
    multi('s1', m.create('/ok'), m.delete(abs('/trailing/'))),
    exists('s1', '/ok'),
  ]),
  scenario('multi with read ops inside', [
    open('s1'),
    create('s1', '/a'),
    multi('s1', m.create('/b'), m.getData('/a')),
    multi('s1', m.getData('/a')),
    multi('s1', m.getChildren('/a'), m.getData('/a')),
    exists('s1', '/b'),
  ]),
  scenario('multi fires watches only when it succeeds', [
    open('s1'), open('s2'),
    create('s2', '/a'),
    getData('s1', '/a', true),
    getChildren('s1', '', true),
    multi('s2', m.setData('/a', 'x'), m.create('/a')),
    ping('s1'),
    multi('s2', m.setData('/a', 'x'), m.create('/b')),
    waitEvents('s1', 2),
  ]),
  scenario('multi with an ephemeral parent and a child', [
    open('s1'),
    multi('s1', m.create('/e', '', { mode: 'EPHEMERAL' }), m.create('/e/c')),
    multi('s1', m.create('/e', '', { mode: 'EPHEMERAL' }), m.create('/f')),
    getChildren2('s1', ''),
  ]),
  scenario('multi with an unknown op type inside', [
    open('s1'),
    rawOp('s1', OpCode.multi, Buffer.from([
      0, 0, 0, 42, 0, 0xff, 0xff, 0xff, 0xff, // header: type 42, done false, err -1
      0xff, 0xff, 0xff, 0xff, 1, 0xff, 0xff, 0xff, 0xff, // done header
    ]), 'multi [op 42]'),
    ping('s1'),
  ]),
  scenario('multi results carry the stats of create2 and setData', [
    open('s1'),
    multi('s1', m.create2('/a', 'x'), m.setData('/a', 'yy'), m.create('/b')),
    multi('s1', m.setData('/a', 'z'), m.delete('/b'), m.check('/a', 2)),
  ]),
  scenario('multi where a later op breaks an earlier one', [
    open('s1'),
    multi('s1', m.create('/a'), m.create('/a/b'), m.delete('/a')),
    getChildren('s1', ''),
  ]),
];
