import { createServer, connect, type Server, type Socket } from 'node:net';
import { ManualClock, systemClock } from '@paddock/edges';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadlineTimer } from './deadline-timer.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0)) c(); });

/** A loopback pair: what `client` writes arrives at the returned server-side socket. */
async function pair(): Promise<{ client: Socket; accepted: Socket }> {
  let accepted: Socket | undefined;
  const server: Server = createServer((s) => { accepted = s; });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const client = connect(port, '127.0.0.1');
  await new Promise<void>((r) => client.once('connect', r));
  while (!accepted) await new Promise((r) => setImmediate(r));
  cleanups.push(() => { client.destroy(); accepted?.destroy(); server.close(); });
  return { client, accepted };
}

describe('DeadlineTimer', () => {
  it('ticks after the packets that arrived while the loop was busy are read, not before', async () => {
    const { client, accepted } = await pair();
    const order: string[] = [];
    accepted.on('data', () => order.push('packet'));
    const timer = new DeadlineTimer(systemClock);
    const ticked = new Promise<void>((resolve) => timer.arm(systemClock.monotonic() + 5, () => { order.push('tick'); resolve(); }));
    client.write('ping reply');
    // The loop is busy past the deadline: the packet is in the socket buffer, the timer is due.
    const until = performance.now() + 50;
    while (performance.now() < until) { /* busy */ }
    await ticked;
    expect(order).toEqual(['packet', 'tick']);
  });

  it('clear() cancels the tick, also one whose timer fired and that waits for the reads', async () => {
    const clock = new ManualClock();
    const timer = new DeadlineTimer(clock);
    const afterReads = (): Promise<void> => new Promise((r) => setImmediate(r));
    let ticks = 0;
    timer.arm(5, () => { ticks++; });
    clock.advance(5);
    await afterReads();
    expect(ticks).toBe(1);
    timer.arm(10, () => { ticks++; });
    timer.clear();
    clock.advance(10);
    timer.arm(20, () => { ticks++; });
    clock.advance(10);
    // The timer fired; its tick waits for the end of the loop turn: clear() now still stops it.
    timer.clear();
    await afterReads();
    expect(ticks).toBe(1);
  });
});
