import {
  auth, create, create2, createContainer, createTTL, exists, getACL, getData, hangsUp, open, scenario, setACL,
  setData, type Scenario,
} from '../steps.js';
import { ADMIN, ALICE, ALL, BOB, READ, SUPER_CREDENTIAL, WRITE, alice, anyone, byAuth, entry, ip } from './acl-ids.js';

/**
 * The auth scheme: not an identity but a placeholder, replaced when the ACL is set by every
 * authenticated identity of the session (digest ones; ip is not "authenticated").
 */
export const scenarios: Scenario[] = [
  scenario('auth without an authenticated identity is InvalidACL', [
    open('s1'),
    create('s1', '/a', '', { acl: [byAuth(ALL)] }),
    create2('s1', '/b', '', { acl: [byAuth(READ), anyone(ALL)] }),
    createContainer('s1', '/c', '', { acl: [byAuth(ALL)] }),
    createTTL('s1', '/t', 5000, '', { acl: [byAuth(ALL)] }),
    auth('s1', 'ip', 'x'),
    create('s1', '/a', '', { acl: [byAuth(ALL)] }),
    create('s1', '/n'),
    setACL('s1', '/n', [byAuth(ALL)]),
    getACL('s1', '/n'),
  ]),
  scenario('auth expands to the session digest ids', [
    open('s1'), open('s2'),
    auth('s1', 'digest', ALICE),
    create('s1', '/a', 'v', { acl: [byAuth(ALL)] }),
    getACL('s1', '/a'),
    getData('s2', '/a'),
    auth('s1', 'digest', BOB),
    create('s1', '/ab', 'v', { acl: [byAuth(READ | ADMIN)] }),
    getACL('s1', '/ab'),
    auth('s2', 'digest', BOB),
    getData('s2', '/ab'),
    setData('s2', '/ab', 'x'),
  ]),
  scenario('auth ignores the id it carries', [
    open('s1'),
    auth('s1', 'digest', ALICE),
    create('s1', '/a', '', { acl: [byAuth(ALL, 'somebody-else')] }),
    create('s1', '/b', '', { acl: [byAuth(READ, 'x'), byAuth(WRITE, 'y')] }),
    getACL('s1', '/a'),
    getACL('s1', '/b'),
  ]),
  scenario('auth next to explicit entries: no duplicates removed after expansion', [
    open('s1'),
    auth('s1', 'digest', ALICE),
    create('s1', '/a', '', { acl: [byAuth(ALL), alice(ALL)] }),
    create('s1', '/b', '', { acl: [alice(ALL), byAuth(ALL), byAuth(ALL)] }),
    create('s1', '/c', '', { acl: [anyone(READ), byAuth(ADMIN), ip(WRITE, '127.0.0.1')] }),
    getACL('s1', '/a'),
    getACL('s1', '/b'),
    getACL('s1', '/c'),
  ]),
  scenario('auth with an invalid entry next to it is InvalidACL', [
    open('s1'),
    auth('s1', 'digest', ALICE),
    create('s1', '/a', '', { acl: [byAuth(ALL), entry(ALL, 'nosuch', 'x')] }),
    create('s1', '/b', '', { acl: [entry(ALL, 'digest', 'no-colon'), byAuth(ALL)] }),
    exists('s1', '/a'),
  ]),
  scenario('auth for the super user expands to its digest only', [
    open('s1'),
    auth('s1', 'digest', SUPER_CREDENTIAL),
    create('s1', '/a', '', { acl: [byAuth(ALL)] }),
    getACL('s1', '/a'),
  ]),
  scenario('addAuth with the auth scheme fails and closes the connection', [
    open('s1'),
    auth('s1', 'digest', ALICE),
    auth('s1', 'auth', ''),
    hangsUp('s1'),
  ]),
];
