import {
  auth, create, exists, getACL, getData, hangsUp, open, scenario, setACL, setData, whoAmI, type Scenario,
} from '../steps.js';
import { ALL, READ, WRITE, alice, anyone, entry, ip } from './acl-ids.js';

/** The world scheme: one id, `anyone`, which every session holds without authenticating. */
export const scenarios: Scenario[] = [
  scenario('world:anyone grants every session, authenticated or not', [
    open('s1'), open('s2'),
    create('s1', '/n', 'v', { acl: [anyone(READ)] }),
    getData('s2', '/n'),
    auth('s2', 'digest', 'someone:pw'),
    getData('s2', '/n'),
    setData('s2', '/n', 'w'),
    whoAmI('s2'),
  ]),
  scenario('world ids other than anyone are invalid', [
    open('s1'),
    create('s1', '/other', '', { acl: [entry(ALL, 'world', 'other')] }),
    create('s1', '/caps', '', { acl: [entry(ALL, 'world', 'Anyone')] }),
    create('s1', '/empty', '', { acl: [entry(ALL, 'world', '')] }),
    create('s1', '/scheme-caps', '', { acl: [entry(ALL, 'World', 'anyone')] }),
    create('s1', '/mixed', '', { acl: [anyone(ALL), entry(ALL, 'world', 'everyone')] }),
    create('s1', '/n'),
    setACL('s1', '/n', [entry(READ, 'world', 'nobody')]),
    getACL('s1', '/n'),
  ]),
  scenario('world:anyone next to other entries: the union of their bits', [
    open('s1'),
    create('s1', '/n', 'v', { acl: [anyone(READ), alice(ALL), ip(WRITE, '10.0.0.1')] }),
    getData('s1', '/n'),
    setData('s1', '/n', 'w'),
    getACL('s1', '/n'),
    create('s1', '/n/c'),
  ]),
  scenario('addAuth with the world scheme fails and closes the connection', [
    open('s1'), open('s2'),
    auth('s1', 'world', 'anyone'),
    hangsUp('s1'),
    exists('s2', ''),
  ]),
];
