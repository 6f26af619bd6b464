import type { CoordClient } from '../../client.js';
import { isTerminal, type ClientState } from '../../states.js';
import { TIMED_OUT, type Deadline } from './deadline.js';
import type { RecipeEnv } from './env.js';
import { RecipeError } from './errors.js';

export function isConnected(state: ClientState): boolean {
  return state === 'connected' || state === 'connectedReadOnly';
}

/** The error recipes report once the client's session is over for good. */
export function sessionLost(client: CoordClient, path?: string): RecipeError {
  return new RecipeError('SessionLost', path, `the session ended (client state ${client.state}); ephemeral nodes and anything held through them are gone`);
}

/** The error recipes report once the client began closing its session (see CoordClient's `closing`). */
function sessionClosing(path?: string): RecipeError {
  return new RecipeError('SessionLost', path, 'the client is closing its session; ephemeral nodes and anything held through them go with it');
}

export interface SessionHandlers {
  /** The connection dropped; the session may still be alive (ZooKeeper's Disconnected, Curator's SUSPENDED). */
  suspended?(): void;
  /** Connected again with the same session. */
  resumed?(): void;
  /**
   * close() was called: the session ends as soon as the server has the closeSession, so a role
   * held through it (a leadership) is given up now. What waits goes on until `ended`.
   */
  closing?(err: RecipeError): void;
  /** The session is over (expired, closed, auth failed); called once, and nothing after it. */
  ended?(err: RecipeError): void;
}

/** A state change, or 'closing' when close() was called. */
type StateListener = (s: ClientState | 'closing') => void;

/**
 * One 'state' listener per client fans out to every recipe following it: a service may hold
 * many locks and caches on one client, more than EventEmitter's listener warning allows.
 */
const hubs = new WeakMap<CoordClient, Set<StateListener>>();

function subscribe(client: CoordClient, fn: StateListener): () => void {
  let hub = hubs.get(client);
  if (hub === undefined) {
    const listeners = new Set<StateListener>();
    const fan = (s: ClientState | 'closing'): void => {
      let first: unknown = null;
      for (const l of [...listeners]) {
        try {
          l(s);
        } catch (err) {
          first ??= err;
        }
      }
      // The others still ran; the client's dispatcher logs what a listener threw.
      if (first !== null) throw first;
    };
    client.on('state', fan);
    client.on('closing', () => fan('closing'));
    hubs.set(client, (hub = listeners));
  }
  const set = hub;
  set.add(fn);
  return () => { set.delete(fn); };
}

/** Follows the client's state; returns the unsubscribe function. */
export function watchSession(client: CoordClient, h: SessionHandlers, path?: string): () => void {
  let over = false;
  return subscribe(client, (s) => {
    if (over) return;
    if (s === 'closing') h.closing?.(sessionClosing(path));
    else if (isTerminal(s)) {
      over = true;
      h.ended?.(sessionLost(client, path));
    } else if (isConnected(s)) h.resumed?.();
    else h.suspended?.();
  });
}

/**
 * Waits until the client is connected: true when it is, false when the deadline came first.
 * Rejects with SessionLost when the session ends and Disconnected after the reconnect bound.
 */
export async function whenConnected(env: RecipeEnv, deadline: Deadline, path?: string): Promise<boolean> {
  const { client } = env;
  if (isConnected(client.state)) return true;
  if (isTerminal(client.state)) throw sessionLost(client, path);
  let unsubscribe = (): void => undefined;
  let timer: unknown = null;
  const reconnected = new Promise<void>((resolve, reject) => {
    unsubscribe = watchSession(client, { resumed: resolve, ended: reject }, path);
    const ms = env.reconnectTimeoutMs();
    timer = env.clock.setTimeout(() => reject(new RecipeError('Disconnected', path, `not reconnected within ${ms} ms`)), ms);
  });
  try {
    return (await deadline.race(reconnected)) !== TIMED_OUT;
  } finally {
    unsubscribe();
    env.clock.clearTimeout(timer);
  }
}

/**
 * Waits for `fired` (a watch event): 'event', or 'timeout' when the deadline comes first.
 * Rejects with SessionLost when the session ends meanwhile. A dropped connection is no reason
 * to stop: the client re-registers the watch on reconnect and the server fires it if missed.
 */
export async function waitForEvent(env: RecipeEnv, fired: Promise<unknown>, deadline: Deadline, path?: string): Promise<'event' | 'timeout'> {
  const { client } = env;
  if (isTerminal(client.state)) throw sessionLost(client, path);
  let unsubscribe = (): void => undefined;
  const ended = new Promise<never>((_, reject) => {
    unsubscribe = watchSession(client, { ended: reject }, path);
  });
  try {
    return (await deadline.race(Promise.race([fired, ended]))) === TIMED_OUT ? 'timeout' : 'event';
  } finally {
    unsubscribe();
  }
}
