import {
  create, create2, exists, getData, m, multi, open, ping, resume, setData, scenario, type Scenario,
} from '../steps.js';
import { rootOf } from '../scenario-runner.js';

/** jute.maxbuffer on both servers: 0xfffff bytes. */
const MAX = 0xfffff;
const fill = (n: number): Buffer => Buffer.alloc(n, 0x61);

export const scenarios: Scenario[] = [
  scenario('data just under one megabyte is stored and read back', [
    open('s1'),
    create2('s1', '/big', fill(MAX - 1024)),
    getData('s1', '/big'),
    setData('s1', '/big', fill(MAX - 2048)),
    exists('s1', '/big'),
  ]),
  scenario('a request frame over the limit closes the connection', [
    open('s1'), open('s2'),
    create('s1', '/e', '', { mode: 'EPHEMERAL' }),
    create('s1', '/too-big', fill(MAX + 1)),
    exists('s2', '/too-big'),
    exists('s2', '/e'),
    resume('s1', { as: 's1b' }),
    exists('s1b', '/e'),
  ]),
  scenario('setData over the limit closes the connection', [
    open('s1'), open('s2'),
    create('s1', '/a', 'small'),
    setData('s1', '/a', fill(1024 * 1024)),
    getData('s2', '/a'),
  ]),
  (() => {
    const name = 'frame size around the limit';
    // Frame after its length prefix: header 8, path 4+n, data 4+len, one open ACL 27, flags 4.
    const overhead = (p: string): number => 8 + 4 + Buffer.byteLength(rootOf({ name, steps: [] }) + p) + 4 + 27 + 4;
    return scenario(name, [
      open('s1'), open('s2'), open('s3'),
      create('s1', '/x', fill(MAX - overhead('/x') - 1)),
      create('s2', '/y', fill(MAX - overhead('/y'))),
      create('s3', '/z', fill(MAX - overhead('/z') + 1)),
      exists('s1', '/y'),
    ]);
  })(),
  scenario('a multi over the limit closes the connection', [
    open('s1'), open('s2'),
    multi('s1', m.create('/a', fill(600_000)), m.create('/b', fill(600_000))),
    exists('s2', '/a'),
  ]),
  scenario('a multi of large nodes under the limit', [
    open('s1'),
    multi('s1', m.create('/a', fill(400_000)), m.create('/b', fill(400_000))),
    getData('s1', '/b'),
    ping('s1'),
  ]),
];
