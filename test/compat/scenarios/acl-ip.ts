import {
  auth, create, getACL, getData, open, scenario, setACL, setData, whoAmI, type Scenario,
} from '../steps.js';
import { ADMIN, ALL, READ, WRITE, anyone, ip } from './acl-ids.js';

/**
 * The ip scheme: every connection holds `ip:<its address>` (here 127.0.0.1) without
 * authenticating; an ACL entry is an IPv4 address, optionally with a prefix length.
 */

/** One READ-only node per ACL expression, then a getData of each: which ones match 127.0.0.1. */
function readEach(name: string, exprs: readonly string[]): Scenario {
  return scenario(name, [
    open('s1'),
    ...exprs.map((e, i) => create('s1', `/n${i}`, e, { acl: [ip(READ, e)] })),
    ...exprs.map((_e, i) => getData('s1', `/n${i}`)),
  ]);
}

/** One create per ACL expression: which ones are valid. */
function createEach(name: string, exprs: readonly string[]): Scenario {
  return scenario(name, [
    open('s1'),
    ...exprs.map((e, i) => create('s1', `/n${i}`, e, { acl: [ip(ALL, e)] })),
  ]);
}

export const scenarios: Scenario[] = [
  readEach('ip ACLs that match 127.0.0.1', [
    '127.0.0.1', '127.0.0.0/8', '127.0.0.1/32', '127.1.2.3/8', '0.0.0.0/0', '127.0.0.0/31', '0.0.0.0/1', '127.0.0.1/24',
  ]),
  readEach('ip ACLs that do not match 127.0.0.1', [
    '10.0.0.0/8', '127.0.0.2', '127.0.0.2/31', '128.0.0.1/1', '192.168.0.1/16', '127.0.0.0/32',
  ]),
  createEach('ip ACLs that are invalid', [
    '127.0.0.1/33', '300.1.1.1', '127.0.0.1/-1', '127.0.0.1/abc', '127.0.0.1/', '127.0.0.1/8/8', '127.0.0', '127.0.0.1.5',
    '', 'localhost', ' 127.0.0.1', '127.0.0.1 ', '1.2.3.256', '1..2.3', '127.0.0.1/4294967304', '127.0.0.1.',
    '/8', '127.0.0.-1', '127.0.0.1/+-8', '127.0.0.\u{1D7CF}', '0x7f.0.0.1', '127.0.0.1/8.0',
  ]),
  readEach('ip ACLs in forms ZooKeeper parses leniently', [
    '127.0.0.01', '127.000.0.1', '127.0.0.+1', '127.0.0.1/+8', '127.0.0.1/08', '127.0.0.1/0', '127.0.0.-0/32',
    '0000000000127.0.0.1', '\uff11\uff12\uff17.0.0.1', '127.0.0.1/-0', '128.0.0.1/+0',
  ]),
  createEach('ip ACLs with IPv6 addresses', ['::1', '::1/128', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'fe80::/10']),
  scenario('ip ACL entries grant the union of their bits', [
    open('s1'),
    create('s1', '/n', 'v', { acl: [ip(ALL, '10.0.0.0/8'), ip(READ, '127.0.0.0/8'), ip(ADMIN, '127.0.0.1')] }),
    getData('s1', '/n'),
    setData('s1', '/n', 'w'),
    getACL('s1', '/n'),
    setACL('s1', '/n', [ip(READ | WRITE, '127.0.0.1/32')]),
    setData('s1', '/n', 'w'),
    setACL('s1', '/n', [anyone(ALL)]),
  ]),
  scenario('addAuth with the ip scheme adds nothing new', [
    open('s1'),
    whoAmI('s1'),
    auth('s1', 'ip', '10.0.0.1'),
    whoAmI('s1'),
    create('s1', '/n', 'v', { acl: [ip(ALL, '10.0.0.1')] }),
    getData('s1', '/n'),
  ]),
];
