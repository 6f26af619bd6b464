import { createServer } from 'node:net';

/**
 * Ports are picked below Linux's ephemeral range (32768 and up): a port the kernel handed out
 * for "any free port" is one it may soon give to an outgoing connection as its local port, and
 * tests that reserve a port and bind it later (ensemble members, whose config lists every
 * member's ports) then find it taken. Random picks between processes rarely meet.
 */
const LOW = 20_000;
const HIGH = 32_000;
const TRIES = 50;

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < TRIES; i++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await canBind(port)) return port;
  }
  throw new Error(`no free loopback port found in ${LOW}..${HIGH} after ${TRIES} tries`);
}
