import {
  SHORT_SESSION, closeSession, create, drop, exists, expire, getData, hangsUp, open, setData, ping, resume, sleep, scenario, waitEvents,
  type Scenario, type Step,
} from '../steps.js';

/** Pings every `every` ms for `total` ms: keeps a short session alive while time passes. */
function keepAlive(s: string, every: number, total: number): Step[] {
  const out: Step[] = [];
  for (let t = 0; t < total; t += every) out.push(sleep(every), ping(s));
  return out;
}

export const scenarios: Scenario[] = [
  scenario('negotiated session timeouts are clamped', [
    open('s1', { timeOut: 100 }),
    open('s2', { timeOut: 60_000 }),
    open('s3', { timeOut: 5_000 }),
    open('s4', { timeOut: 0 }),
    open('s5', { timeOut: -1 }),
    open('s6', { timeOut: 201 }),
  ]),
  scenario('closeSession replies then hangs up and removes ephemerals', [
    open('s1'), open('s2'),
    create('s1', '/e', '', { mode: 'EPHEMERAL' }),
    closeSession('s1'),
    exists('s2', '/e'),
  ]),
  scenario('createSession and closeSession consume zxids', [
    open('s1'),
    ping('s1'),
    open('s2'),
    ping('s1'),
    closeSession('s2'),
    ping('s1'),
  ]),
  scenario('resume a session with its id and password', [
    open('s1'), open('s2'),
    create('s1', '/e', 'x', { mode: 'EPHEMERAL' }),
    drop('s1'),
    resume('s1'),
    getData('s1', '/e'),
    exists('s2', '/e'),
    create('s1', '/e2', '', { mode: 'EPHEMERAL' }),
    exists('s2', '/e2'),
  ]),
  scenario('resume with a wrong password is refused', [
    open('s1'),
    create('s1', '/e', '', { mode: 'EPHEMERAL' }),
    drop('s1'),
    resume('s1', { passwd: 'wrong' }),
    resume('s1', { as: 's1b' }),
    exists('s1b', '/e'),
  ]),
  scenario('a refused resume still closes the open connection of the session', [
    open('s1'),
    create('s1', '/e', '', { mode: 'EPHEMERAL' }),
    resume('s1', { as: 's1b', passwd: 'wrong' }),
    hangsUp('s1'),
    resume('s1', { as: 's1c' }),
    exists('s1c', '/e'),
  ]),
  scenario('resume after closeSession is refused', [
    open('s1'),
    closeSession('s1'),
    resume('s1', { as: 's1b' }),
  ]),
  scenario('resume while the old connection is still open', [
    open('s1'), open('s2'),
    create('s1', '/e', '', { mode: 'EPHEMERAL' }),
    getData('s1', '/e', true),
    resume('s1', { as: 's1b' }),
    hangsUp('s1'),
    exists('s1b', '/e'),
    setData('s2', '/e', 'x'),
    ping('s1b'),
  ]),
  scenario('a silent session expires and its ephemerals go', [
    open('s1', { timeOut: SHORT_SESSION }), open('s2'),
    create('s1', '/e', '', { mode: 'EPHEMERAL' }),
    exists('s2', '/e', true),
    expire('s1'),
    waitEvents('s2', 1),
    exists('s2', '/e'),
    resume('s1', { as: 's1b' }),
  ]),
  scenario('a dropped connection whose session expires', [
    open('s1', { timeOut: SHORT_SESSION }), open('s2'),
    create('s1', '/e', '', { mode: 'EPHEMERAL' }),
    exists('s2', '/e', true),
    drop('s1'),
    waitEvents('s2', 1),
    resume('s1'),
  ]),
  scenario('pings keep a short session alive', [
    open('s1', { timeOut: SHORT_SESSION }),
    create('s1', '/e', '', { mode: 'EPHEMERAL' }),
    ...keepAlive('s1', 100, 800),
    exists('s1', '/e'),
  ]),
  scenario('requests other than ping also keep a session alive', [
    open('s1', { timeOut: SHORT_SESSION }),
    create('s1', '/e', '', { mode: 'EPHEMERAL' }),
    sleep(100), exists('s1', '/e'), sleep(100), exists('s1', '/e'), sleep(100), exists('s1', '/e'),
    sleep(100), exists('s1', '/e'), sleep(100), exists('s1', '/e'), sleep(100), exists('s1', '/e'),
  ]),
  scenario('expiry of a session with watches and sequential ephemerals', [
    open('s1', { timeOut: SHORT_SESSION }), open('s2'),
    create('s2', '/q'),
    create('s1', '/q/lock-', '', { mode: 'EPHEMERAL_SEQUENTIAL' }),
    create('s2', '/q/lock-', '', { mode: 'EPHEMERAL_SEQUENTIAL' }),
    exists('s2', '/q/lock-0000000000', true),
    getData('s1', '/q/lock-0000000001', true),
    expire('s1'),
    waitEvents('s2', 1),
    create('s2', '/q/lock-', '', { mode: 'EPHEMERAL_SEQUENTIAL' }),
  ]),
  scenario('a resumed session keeps its timeout', [
    open('s1', { timeOut: 4000 }),
    drop('s1'),
    resume('s1', { timeOut: 8000 }),
    ping('s1'),
  ]),
  scenario('connecting with a lastZxidSeen ahead of the server', [
    open('s1', { lastZxidSeen: 0x7fffffffff }),
    open('s2'),
    ping('s2'),
  ]),
  scenario('connecting without the readOnly byte', [
    open('s1', { readOnly: null }),
    ping('s1'),
    create('s1', '/a'),
  ]),
  scenario('asking for a read-only session on a standalone server', [
    open('s1', { readOnly: true }),
    create('s1', '/a'),
    exists('s1', '/a'),
  ]),
  scenario('connecting with a session id that was never issued', [
    open('s1', { sessionId: 0x0123456789abcdefn }),
    open('s2', { sessionId: -1n }),
    open('s3'),
    ping('s3'),
  ]),
];
