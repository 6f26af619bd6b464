import {
  abs, auth, check, create, del, exists, getACL, getAllChildrenNumber, getChildren, getData, hangsUp, m, multi, open,
  scenario, setACL, setData, whoAmI, type Scenario,
} from '../steps.js';
import { ALICE, ALL, READ, SUPER_CREDENTIAL, alice, anyone, entry } from './acl-ids.js';

/**
 * The super user: a digest identity named by the server's superDigest; authenticating as it
 * also grants `super`, which passes every ACL check. Both servers are started with it.
 */
export const scenarios: Scenario[] = [
  scenario('super passes every ACL check', [
    open('s1'), open('s2'),
    create('s1', '/n', 'v', { acl: [anyone(0)] }),
    create('s1', '/n2', 'v'),
    create('s1', '/n2/c'),
    setACL('s1', '/n2', [anyone(0)]),
    auth('s2', 'digest', SUPER_CREDENTIAL),
    whoAmI('s2'),
    getData('s2', '/n'),
    getChildren('s2', '/n2'),
    getAllChildrenNumber('s2', '/n2'),
    setData('s2', '/n', 'w'),
    create('s2', '/n/c'),
    del('s2', '/n/c'),
    del('s2', '/n2/c'),
    multi('s2', m.check('/n', 1), m.create('/n/x'), m.delete('/n/x')),
    getACL('s2', '/n'),
    setACL('s2', '/n', [anyone(READ)]),
    getACL('s2', '/n'),
  ]),
  scenario('super sees digest hashes in getACL', [
    open('s1'), open('s2'),
    auth('s1', 'digest', ALICE),
    create('s1', '/n', '', { acl: [alice(READ)] }),
    getACL('s2', '/n'),
    auth('s2', 'digest', SUPER_CREDENTIAL),
    getACL('s2', '/n'),
  ]),
  scenario('a wrong super password is an ordinary digest identity', [
    open('s1'),
    create('s1', '/n', 'v', { acl: [anyone(0)] }),
    auth('s1', 'digest', 'super:wrong'),
    whoAmI('s1'),
    getData('s1', '/n'),
    check('s1', '/n', 0),
  ]),
  scenario('super as an ACL scheme or an addAuth scheme', [
    open('s1'),
    create('s1', '/a', '', { acl: [entry(ALL, 'super', '')] }),
    create('s1', '/b', '', { acl: [entry(ALL, 'super', 'super')] }),
    auth('s1', 'super', SUPER_CREDENTIAL),
    hangsUp('s1'),
  ]),
  scenario('super on the system nodes', [
    open('s1'),
    auth('s1', 'digest', SUPER_CREDENTIAL),
    getData('s1', abs('/zookeeper/config')),
    setData('s1', abs('/zookeeper/config'), 'x', 99),
    setACL('s1', abs('/zookeeper/config'), [anyone(ALL)], 99),
    setACL('s1', abs('/zookeeper/quota'), [anyone(ALL)], 99),
    del('s1', abs('/zookeeper/config')),
    del('s1', abs('/zookeeper/quota')),
    getACL('s1', abs('/zookeeper/config')),
    exists('s1', abs('/zookeeper/config')),
  ]),
];
