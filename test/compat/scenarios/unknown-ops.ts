import { JuteWriter, OpCode } from '@paddock/coord-protocol';
import { auth, exists, hangsUp, open, ping, rawOp, scenario, whoAmI, type Scenario } from '../steps.js';

/** Jute-encodes strings, longs (numbers) and buffers in order. */
const jute = (...parts: (string | number | Buffer)[]): Buffer => {
  const w = new JuteWriter();
  for (const p of parts) {
    if (typeof p === 'string') w.ustring(p);
    else if (typeof p === 'number') w.long(p);
    else w.buffer(p);
  }
  return w.take();
};

/** Each op on its own session: ZooKeeper hangs up after an op it does not know. */
const lone = (code: number, body: Buffer, show: string, hangsUpAfter = true): Scenario =>
  scenario(`op code ${show}`, [
    open('s1'), open('s2'), ping('s1'), rawOp('s1', code, body, show), hangsUpAfter ? hangsUp('s1') : ping('s1'), ping('s2'),
  ]);

export const scenarios: Scenario[] = [
  lone(999, Buffer.alloc(0), '999 (never assigned)'),
  lone(10, Buffer.alloc(0), '10 (gap between sync and ping)'),
  lone(23, Buffer.alloc(0), '23 (after multiRead)'),
  lone(108, Buffer.alloc(0), '108 (after whoAmI)'),
  lone(-100, Buffer.alloc(0), '-100 (negative)'),
  lone(OpCode.notification, Buffer.alloc(0), '0 (notification)'),
  lone(OpCode.createSession, Buffer.alloc(0), '-10 (createSession after the handshake)', false),
  lone(OpCode.error, Buffer.alloc(0), '-1 (error)'),
  lone(OpCode.reconfig, jute('', '', '', -1), '16 (reconfig on a standalone server)', false),
  lone(OpCode.deleteContainer, jute('/no-such-container'), '20 (deleteContainer from a client)', false),
  lone(OpCode.sasl, jute(Buffer.from('token')), '102 (sasl without SASL)', false),
  scenario('auth with an unknown scheme', [
    open('s1'), open('s2'),
    auth('s1', 'nosuch', 'whatever'),
    hangsUp('s1'),
    exists('s2', ''),
  ]),
  scenario('auth digest then whoAmI', [
    open('s1'),
    auth('s1', 'digest', 'bob:pw'),
    whoAmI('s1'),
    auth('s1', 'digest', 'carol:pw2'),
    whoAmI('s1'),
  ]),
  scenario('auth with a malformed digest credential', [
    open('s1'),
    auth('s1', 'digest', 'no-colon-here'),
    ping('s1'),
  ]),
];
