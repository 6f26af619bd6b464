import {
  abs, closeSession, create, getEphemerals, open, ping, scenario, sync, whoAmI, type Scenario,
} from '../steps.js';

export const scenarios: Scenario[] = [
  scenario('getEphemerals lists the session ephemerals under a prefix', [
    open('s1'), open('s2'),
    create('s1', '/p'),
    create('s1', '/p/e1', '', { mode: 'EPHEMERAL' }),
    create('s1', '/p/e2', '', { mode: 'EPHEMERAL_SEQUENTIAL' }),
    create('s1', '/q', '', { mode: 'EPHEMERAL' }),
    create('s2', '/p/other', '', { mode: 'EPHEMERAL' }),
    getEphemerals('s1', '/p'),
    getEphemerals('s1', ''),
    getEphemerals('s2', ''),
  ]),
  scenario('getEphemerals matches the prefix as a string', [
    open('s1'),
    create('s1', '/ab', '', { mode: 'EPHEMERAL' }),
    create('s1', '/abc', '', { mode: 'EPHEMERAL' }),
    create('s1', '/b', '', { mode: 'EPHEMERAL' }),
    getEphemerals('s1', '/ab'),
    getEphemerals('s1', '/a'),
    getEphemerals('s1', '/zz'),
  ]),
  scenario('getEphemerals of the whole tree and bad prefixes', [
    open('s1'),
    getEphemerals('s1', abs('/')),
    create('s1', '/e', '', { mode: 'EPHEMERAL' }),
    getEphemerals('s1', abs('/')),
    getEphemerals('s1', abs('')),
    getEphemerals('s1', abs('no-slash')),
    getEphemerals('s1', abs('/trailing/')),
  ]),
  scenario('getEphemerals after ephemerals are gone', [
    open('s1'), open('s2'),
    create('s1', '/e', '', { mode: 'EPHEMERAL' }),
    closeSession('s1'),
    getEphemerals('s2', ''),
  ]),
  scenario('whoAmI without authentication', [
    open('s1'),
    whoAmI('s1'),
  ]),
  scenario('sync returns the path', [
    open('s1'),
    create('s1', '/a'),
    sync('s1', '/a'),
    sync('s1', '/missing'),
    sync('s1', abs('/')),
  ]),
  scenario('sync on invalid paths', [
    open('s1'),
    sync('s1', abs('bad')),
    sync('s1', abs('')),
    sync('s1', abs('/a/')),
    ping('s1'),
  ]),
  scenario('ping with a non-ping xid', [
    open('s1'),
    ping('s1', 5),
    ping('s1', -2),
    create('s1', '/a'),
    ping('s1', 1000),
  ]),
];
