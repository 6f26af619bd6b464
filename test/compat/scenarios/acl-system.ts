import {
  abs, auth, create, getACL, getData, m, multi, open, scenario, setACL, setData, type Scenario,
} from '../steps.js';
import { ALICE, ALL, anyone } from './acl-ids.js';

/**
 * The /zookeeper subtree's ACLs, without changing them (the system nodes outlive scenarios):
 * `/zookeeper/config` is read-only for everyone; a change that would pass the ACL check is
 * sent with a wrong version so it fails afterwards.
 */
export const scenarios: Scenario[] = [
  scenario('/zookeeper/config is read-only for everyone', [
    open('s1'),
    getACL('s1', abs('/zookeeper/config')),
    getData('s1', abs('/zookeeper/config')),
    setData('s1', abs('/zookeeper/config'), 'x'),
    setACL('s1', abs('/zookeeper/config'), [anyone(ALL)]),
    create('s1', abs('/zookeeper/config/x')),
    multi('s1', m.setData(abs('/zookeeper/config'), 'x')),
    auth('s1', 'digest', ALICE),
    setData('s1', abs('/zookeeper/config'), 'x'),
    setACL('s1', abs('/zookeeper/config'), [anyone(ALL)], 5),
  ]),
  scenario('/zookeeper and /zookeeper/quota are open', [
    open('s1'),
    getACL('s1', abs('/zookeeper')),
    getACL('s1', abs('/zookeeper/quota')),
    setACL('s1', abs('/zookeeper'), [anyone(ALL)], 5),
    setACL('s1', abs('/zookeeper/quota'), [anyone(ALL)], 5),
    setACL('s1', abs('/'), [anyone(ALL)], 5),
    setData('s1', abs('/zookeeper/quota'), 'x', 5),
  ]),
];
