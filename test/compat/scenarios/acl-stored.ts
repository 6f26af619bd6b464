import {
  OPEN_ACL, abs, auth, create, getACL, open, setACL, scenario, exists, whoAmI, type Scenario,
} from '../steps.js';
import { digestId } from '../super-user.js';

const READ_ANYONE = [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }];
const IP_LOCAL = [{ perms: 31, id: { scheme: 'ip', id: '127.0.0.1' } }];
const DIGEST = [{ perms: 31, id: { scheme: 'digest', id: digestId('alice', 'secret') } }];

export const scenarios: Scenario[] = [
  scenario('getACL returns the ACL given at create', [
    open('s1'),
    create('s1', '/open'),
    create('s1', '/ip', '', { acl: IP_LOCAL }),
    create('s1', '/digest', '', { acl: DIGEST }),
    getACL('s1', '/open'),
    getACL('s1', '/ip'),
    auth('s1', 'digest', 'alice:secret'),
    whoAmI('s1'),
    getACL('s1', '/digest'),
  ]),
  scenario('setACL replaces the ACL and bumps aversion', [
    open('s1'),
    create('s1', '/a'),
    setACL('s1', '/a', [...OPEN_ACL, ...IP_LOCAL]),
    getACL('s1', '/a'),
    setACL('s1', '/a', OPEN_ACL, 1),
    getACL('s1', '/a'),
    exists('s1', '/a'),
  ]),
  scenario('versioned setACL', [
    open('s1'),
    create('s1', '/a'),
    setACL('s1', '/a', OPEN_ACL, 3),
    setACL('s1', '/a', OPEN_ACL, 0),
    setACL('s1', '/a', OPEN_ACL, 0),
    getACL('s1', '/a'),
  ]),
  scenario('setACL with invalid ACLs', [
    open('s1'),
    create('s1', '/a'),
    setACL('s1', '/a', []),
    setACL('s1', '/a', [{ perms: 31, id: { scheme: 'nosuch', id: 'x' } }]),
    setACL('s1', '/a', [{ perms: 31, id: { scheme: 'auth', id: '' } }]),
    getACL('s1', '/a'),
  ]),
  scenario('getACL and setACL on missing nodes', [
    open('s1'),
    getACL('s1', '/missing'),
    setACL('s1', '/missing', OPEN_ACL),
    setACL('s1', '/missing', OPEN_ACL, 4),
  ]),
  scenario('getACL of the root and system nodes', [
    open('s1'),
    getACL('s1', abs('/')),
    getACL('s1', abs('/zookeeper')),
    getACL('s1', abs('/zookeeper/config')),
    getACL('s1', abs('/zookeeper/quota')),
  ]),
  scenario('a read-only ACL is stored and returned', [
    open('s1'),
    create('s1', '/ro', 'x', { acl: READ_ANYONE }),
    getACL('s1', '/ro'),
  ]),
  scenario('setACL does not change version or mzxid', [
    open('s1'),
    create('s1', '/a', 'data'),
    setACL('s1', '/a', IP_LOCAL),
    setACL('s1', '/a', OPEN_ACL),
    exists('s1', '/a'),
  ]),
  scenario('ACL with unusual perms values is stored', [
    open('s1'),
    create('s1', '/zero', '', { acl: [{ perms: 0, id: { scheme: 'world', id: 'anyone' } }] }),
    create('s1', '/big', '', { acl: [{ perms: 255, id: { scheme: 'world', id: 'anyone' } }] }),
    exists('s1', '/zero'),
    getACL('s1', '/big'),
  ]),
];
