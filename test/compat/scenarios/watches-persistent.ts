import {
  abs, addWatch, create, del, getData, m, multi, open, ping, setData, scenario, waitEvents, type Scenario,
} from '../steps.js';

export const scenarios: Scenario[] = [
  scenario('persistent watch fires on every change', [
    open('s1'), open('s2'),
    create('s2', '/a'),
    addWatch('s1', '/a', 'PERSISTENT'),
    setData('s2', '/a', '1'),
    setData('s2', '/a', '2'),
    create('s2', '/a/c'),
    del('s2', '/a/c'),
    waitEvents('s1', 4),
  ]),
  scenario('persistent watch on a missing node survives delete and recreate', [
    open('s1'), open('s2'),
    addWatch('s1', '/a', 'PERSISTENT'),
    create('s2', '/a'),
    del('s2', '/a'),
    create('s2', '/a'),
    waitEvents('s1', 3),
  ]),
  scenario('persistent watch ignores grandchildren', [
    open('s1'), open('s2'),
    create('s2', '/a'), create('s2', '/a/b'),
    addWatch('s1', '/a', 'PERSISTENT'),
    create('s2', '/a/b/c'),
    setData('s2', '/a/b', 'x'),
    ping('s1'),
  ]),
  // ZooKeeper 3.8 keeps one watch mode per (path, session): the one-shot watch replaces the
  // persistent one, so the second change is not reported (ZOOKEEPER-4466, fixed in 3.9).
  scenario('persistent and one-shot watches on the same node', [
    open('s1'), open('s2'),
    create('s2', '/a'),
    addWatch('s1', '/a', 'PERSISTENT'),
    getData('s1', '/a', true),
    setData('s2', '/a', '1'),
    waitEvents('s1', 1),
    setData('s2', '/a', '2'),
    ping('s1'),
  ]),
  scenario('a one-shot watch then a persistent watch on the same node', [
    open('s1'), open('s2'),
    create('s2', '/a'),
    getData('s1', '/a', true),
    addWatch('s1', '/a', 'PERSISTENT'),
    setData('s2', '/a', '1'),
    setData('s2', '/a', '2'),
    waitEvents('s1', 2),
  ]),
  scenario('addWatch with bad modes and paths', [
    open('s1'),
    addWatch('s1', '/a', 2),
    addWatch('s1', '/a', -1),
    addWatch('s1', abs('bad'), 'PERSISTENT'),
    addWatch('s1', abs('/bad/'), 'PERSISTENT_RECURSIVE'),
    ping('s1'),
  ]),
  scenario('persistent watch on own writes', [
    open('s1'),
    addWatch('s1', '/a', 'PERSISTENT'),
    create('s1', '/a'),
    setData('s1', '/a', 'x'),
    del('s1', '/a'),
  ]),
  scenario('persistent watch sees each op of a multi', [
    open('s1'), open('s2'),
    addWatch('s1', '/a', 'PERSISTENT'),
    multi('s2', m.create('/a'), m.setData('/a', 'x'), m.create('/a/c'), m.delete('/a/c')),
    waitEvents('s1', 4),
  ]),
  scenario('addWatch twice on one path', [
    open('s1'), open('s2'),
    addWatch('s1', '/a', 'PERSISTENT'),
    addWatch('s1', '/a', 'PERSISTENT'),
    create('s2', '/a'),
    waitEvents('s1', 1),
    ping('s1'),
  ]),
  scenario('persistent watch on the zookeeper node', [
    open('s1'),
    addWatch('s1', abs('/zookeeper'), 'PERSISTENT'),
    getData('s1', abs('/zookeeper')),
    ping('s1'),
  ]),
];
