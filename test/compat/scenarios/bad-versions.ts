import {
  check, create, del, exists, m, multi, open, ping, setACL, setData, OPEN_ACL, scenario, type Scenario,
} from '../steps.js';

export const scenarios: Scenario[] = [
  scenario('check as a standalone op that fails', [
    open('s1'),
    create('s1', '/a'),
    check('s1', '/a', 3),
    check('s1', '/missing', 0),
    check('s1', '/missing', -1),
  ]),
  // ZooKeeper 3.8 never answers a standalone check that passes (the runner waits out its bound).
  scenario('check as a standalone op that passes', [
    open('s1'),
    create('s1', '/a'),
    check('s1', '/a', -1),
    ping('s1'),
  ], { expectsNoReply: true }),
  scenario('versions after many writes', [
    open('s1'),
    create('s1', '/a'),
    ...Array.from({ length: 12 }, (_, n) => setData('s1', '/a', `v${n}`, n)),
    setData('s1', '/a', 'stale', 5),
    exists('s1', '/a'),
  ]),
  scenario('version checks in multi with bad versions', [
    open('s1'),
    create('s1', '/a'),
    multi('s1', m.check('/a', -2)),
    multi('s1', m.setData('/a', 'x', -2)),
    multi('s1', m.delete('/a', 2147483647)),
    exists('s1', '/a'),
  ]),
  scenario('cversion and aversion are not the data version', [
    open('s1'),
    create('s1', '/a'),
    create('s1', '/a/c'),
    setACL('s1', '/a', OPEN_ACL),
    setData('s1', '/a', 'x', 1),
    del('s1', '/a/c', 1),
    setACL('s1', '/a', OPEN_ACL, 1),
    exists('s1', '/a'),
  ]),
  scenario('a stale version from another session', [
    open('s1'), open('s2'),
    create('s1', '/a'),
    setData('s2', '/a', 'mine', 0),
    setData('s1', '/a', 'theirs', 0),
    del('s1', '/a', 0),
    del('s1', '/a', 1),
  ]),
];
