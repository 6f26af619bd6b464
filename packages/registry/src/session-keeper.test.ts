import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ClientState, CoordClient, CoordClientOptions } from '@paddock/coord-client';
import { ManualClock } from '@paddock/edges';
import { RegistryError } from './errors.js';
import { resolveOptions } from './options.js';
import { SessionKeeper, type RegistryState } from './session-keeper.js';

/** The part of a CoordClient the keeper uses, scripted by the test. */
class FakeClient extends EventEmitter<{ state: [ClientState] }> {
  state: ClientState = 'connected';
  closed = false;
  constructor(readonly sessionId: bigint, readonly sessionTimeout = 3000) {
    super();
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  enter(s: ClientState): void {
    this.state = s;
    this.emit('state', s);
  }
}

/** A connect function whose outcomes the test decides, one per call. */
function scriptedConnect() {
  const calls: CoordClientOptions[] = [];
  const outcomes: (FakeClient | Error)[] = [];
  let next = 1n;
  const connect = async (_cs: string, o: CoordClientOptions): Promise<CoordClient> => {
    calls.push(o);
    const out = outcomes.shift() ?? new FakeClient(next++);
    if (out instanceof Error) throw out;
    return out as unknown as CoordClient;
  };
  return { connect, calls, outcomes };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

function setup(extra: Parameters<typeof resolveOptions>[0] = {}) {
  const clock = new ManualClock();
  const opts = resolveOptions({ clock, random: () => 1, reconnect: { baseDelayMs: 100, maxDelayMs: 1000 }, consumerHost: '127.0.0.1', ...extra });
  const script = scriptedConnect();
  const keeper = new SessionKeeper('127.0.0.1:2181', opts, script.connect);
  const states: RegistryState[] = [];
  const sessions: number[] = [];
  keeper.on('state', (s) => states.push(s));
  keeper.on('session', (_c, g) => sessions.push(g));
  return { clock, keeper, script, states, sessions };
}

describe('SessionKeeper', () => {
  it('passes its options to the client and reports the first session', async () => {
    const { keeper, script, states, sessions } = setup({ sessionTimeout: 4000, client: { maxFrameBytes: 8 << 20 } });
    await keeper.start(false);
    expect(script.calls[0]).toMatchObject({ sessionTimeout: 4000, connectTimeout: 4000, maxFrameBytes: 8 << 20 });
    expect(states).toEqual(['connected']);
    expect(sessions).toEqual([1]);
    expect(keeper.lastSessionTimeout).toBe(3000);
  });

  it('fails with CONNECT_FAILED when the first session cannot be had and it may not keep trying', async () => {
    const { keeper, script, states } = setup();
    script.outcomes.push(new Error('connection refused'));
    const err = await keeper.start(false).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).code).toBe('CONNECT_FAILED');
    expect((err as RegistryError).message).toContain('connection refused');
    expect(states).toEqual(['closed']);
  });

  it('keeps trying in the background with growing, bounded delays when allowed to', async () => {
    const { clock, keeper, script, sessions } = setup();
    script.outcomes.push(new Error('a'), new Error('b'), new Error('c'));
    await keeper.start(true);
    expect(keeper.state).toBe('connecting');
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      delays.push(clock.pendingDelays[0]!);
      clock.advance(clock.pendingDelays[0]!);
      await flush();
    }
    expect(delays).toEqual([100, 200, 400]);
    expect(sessions).toEqual([1]);
    expect(keeper.state).toBe('connected');
  });

  it('makes a new session after expiry, closing the dead client, and resets the backoff', async () => {
    const { clock, keeper, script, states, sessions } = setup();
    await keeper.start(false);
    const first = keeper.client as unknown as FakeClient;
    first.enter('disconnected');
    first.enter('connected');
    script.outcomes.push(new Error('still down'));
    first.enter('expired');
    expect(first.closed).toBe(true);
    expect(keeper.client).toBeNull();
    clock.advance(clock.pendingDelays[0]!);
    await flush();
    clock.advance(clock.pendingDelays[0]!);
    await flush();
    expect(sessions).toEqual([1, 2]);
    expect(states).toEqual(['connected', 'disconnected', 'connected', 'expired', 'connected']);
    // Events of the dead client are ignored.
    first.enter('connected');
    expect(states[states.length - 1]).toBe('connected');
    expect(keeper.generation).toBe(2);
    (keeper.client as unknown as FakeClient).enter('closed');
    expect(clock.pendingDelays).toEqual([100]);
  });

  it('gives up after reconnect.maxAttempts and stops on close()', async () => {
    const { clock, keeper, script, states } = setup({ reconnect: { maxAttempts: 2, baseDelayMs: 10 } });
    await keeper.start(false);
    script.outcomes.push(new Error('x'), new Error('y'));
    (keeper.client as unknown as FakeClient).enter('expired');
    clock.advance(10);
    await flush();
    clock.advance(20);
    await flush();
    expect(states[states.length - 1]).toBe('closed');
    expect(clock.pendingDelays).toEqual([]);

    const other = setup();
    other.script.outcomes.push(new Error('down'));
    await other.keeper.start(true);
    expect(other.clock.pendingDelays).toHaveLength(1);
    await other.keeper.close();
    expect(other.clock.pendingDelays).toEqual([]);
    expect(other.keeper.state).toBe('closed');
  });
});
