import { createServer, connect, type Server, type Socket } from 'node:net';
import { ManualClock, systemClock } from '@paddock/edges';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

  it('a later deadline keeps the pending timer, which waits out the rest when it fires; an earlier one replaces it', async () => {
    const clock = new ManualClock();
    const setTimeoutSpy = vi.spyOn(clock, 'setTimeout');
    const timer = new DeadlineTimer(clock);
    const afterReads = (): Promise<void> => new Promise((r) => setImmediate(r));
    const ticks: number[] = [];
    const tick = (now: number): void => { ticks.push(now); };
    timer.arm(10, tick);
    // A packet per turn, each moving the deadline on: no new timer for any of them.
    for (let at = 11; at <= 20; at++) timer.arm(at, tick);
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
    clock.advance(10);
    await afterReads();
    expect(ticks).toEqual([]);
    clock.advance(9);
    await afterReads();
    expect(ticks).toEqual([]);
    clock.advance(1);
    await afterReads();
    expect(ticks).toEqual([20]);
    // Earlier than the pending one: it must not wait for the later timer.
    timer.arm(40, tick);
    timer.arm(25, tick);
    clock.advance(5);
    await afterReads();
    expect(ticks).toEqual([20, 25]);
    // Infinity clears what was pending.
    timer.arm(30, tick);
    timer.arm(Number.POSITIVE_INFINITY, tick);
    clock.advance(100);
    await afterReads();
    expect(ticks).toEqual([20, 25]);
  });
});
