import {
  auth, create, exists, getACL, getData, open, scenario, setACL, setData, type Scenario,
} from '../steps.js';
import { ADMIN, ALICE, ALL, READ, alice, anyone } from './acl-ids.js';

/** setACL and the ACL version (aversion): checked like data versions, after the ACL checks. */
export const scenarios: Scenario[] = [
  scenario('setACL versions count ACL changes only', [
    open('s1'),
    create('s1', '/n', 'v'),
    setACL('s1', '/n', [anyone(ALL)], 0),
    setACL('s1', '/n', [anyone(ALL)], 0),
    setACL('s1', '/n', [anyone(ALL)], 1),
    setData('s1', '/n', 'w', 0),
    setACL('s1', '/n', [anyone(ALL)], 1),
    setACL('s1', '/n', [anyone(ALL)], 2),
    setACL('s1', '/n', [anyone(ALL)], -2),
    setACL('s1', '/n', [anyone(ALL)], -1),
    getACL('s1', '/n'),
  ]),
  scenario('setACL: NoAuth before BadVersion', [
    open('s1'),
    create('s1', '/n', '', { acl: [anyone(READ)] }),
    setACL('s1', '/n', [anyone(ALL)], 9),
    setACL('s1', '/n', [anyone(ALL)], 0),
    auth('s1', 'digest', ALICE),
    create('s1', '/m', '', { acl: [alice(ADMIN), anyone(READ)] }),
    setACL('s1', '/m', [anyone(ALL)], 9),
    setACL('s1', '/m', [anyone(ALL)], 0),
    exists('s1', '/m'),
  ]),
  scenario('setACL that takes ADMIN away from the caller', [
    open('s1'),
    create('s1', '/n', 'v'),
    setACL('s1', '/n', [anyone(READ)]),
    getData('s1', '/n'),
    setACL('s1', '/n', [anyone(ALL)]),
    setACL('s1', '/n', [anyone(ADMIN)]),
    getData('s1', '/n'),
    getACL('s1', '/n'),
    setACL('s1', '/n', [anyone(ALL)], 2),
    getData('s1', '/n'),
  ]),
];
