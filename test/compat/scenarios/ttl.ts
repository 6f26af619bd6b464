import {
  create, createTTL, del, exists, getData, m, multi, open, setData, sleep, scenario, waitEvents, type Scenario,
} from '../steps.js';

export const scenarios: Scenario[] = [
  scenario('TTL node stat and owner', [
    open('s1'),
    createTTL('s1', '/t', 60_000, 'data'),
    getData('s1', '/t'),
    exists('s1', '/t'),
  ]),
  scenario('a TTL node without children expires', [
    open('s1'),
    createTTL('s1', '/t', 200),
    exists('s1', '/t', true),
    waitEvents('s1', 1),
    exists('s1', '/t'),
  ]),
  scenario('a TTL node with a child does not expire until the child is gone', [
    open('s1'),
    createTTL('s1', '/t', 200),
    create('s1', '/t/child'),
    sleep(600),
    exists('s1', '/t', true),
    del('s1', '/t/child'),
    waitEvents('s1', 1),
    exists('s1', '/t'),
  ]),
  scenario('createTTL with out of range TTLs', [
    open('s1'),
    createTTL('s1', '/zero', 0),
    createTTL('s1', '/negative', -5),
    createTTL('s1', '/max', 0xffffffffff),
    createTTL('s1', '/over', 0xffffffffff + 1),
    exists('s1', '/max'),
  ]),
  scenario('createTTL with non-TTL modes', [
    open('s1'),
    createTTL('s1', '/p', 1000, '', { mode: 'PERSISTENT' }),
    createTTL('s1', '/e', 1000, '', { mode: 'EPHEMERAL' }),
    createTTL('s1', '/c', 1000, '', { mode: 'CONTAINER' }),
    createTTL('s1', '/s', 1000, '', { mode: 'PERSISTENT_SEQUENTIAL' }),
  ]),
  scenario('create and create2 with TTL flags but no TTL', [
    open('s1'),
    create('s1', '/t5', '', { mode: 'PERSISTENT_WITH_TTL' }),
    create('s1', '/t6', '', { mode: 'PERSISTENT_SEQUENTIAL_WITH_TTL' }),
    exists('s1', '/t5'),
  ]),
  scenario('TTL nodes in a multi', [
    open('s1'),
    multi('s1', m.createTTL('/t', 60_000), m.createTTL('/t2', 0)),
    multi('s1', m.createTTL('/t', 60_000), m.create('/t/c')),
    getData('s1', '/t'),
  ]),
  scenario('setData on a TTL node postpones its expiry', [
    open('s1'),
    createTTL('s1', '/t', 1000),
    sleep(500),
    setData('s1', '/t', 'touch'),
    sleep(700),
    exists('s1', '/t', true),
    waitEvents('s1', 1),
  ]),
  scenario('a TTL node can be deleted before it expires', [
    open('s1'),
    createTTL('s1', '/t', 60_000),
    del('s1', '/t'),
    exists('s1', '/t'),
  ]),
];
