import { CoordClient } from '@paddock/coord-client';

/** The sessions one server is driven with, opened once and reused by every round. */
export interface Sessions {
  /** Drive getData, setData and create+delete, each with a window of requests in flight. */
  readonly drivers: readonly CoordClient[];
  /** Each holds a one-shot data watch in the fan-out workload. */
  readonly watchers: readonly CoordClient[];
  /** Changes the watched node in the fan-out workload. */
  readonly writer: CoordClient;
}

/** Opened in small batches so a hundred handshakes do not all time out together on 2 cores. */
const CONNECT_BATCH = 25;

export async function openMany(connectString: string, count: number, opened: CoordClient[]): Promise<CoordClient[]> {
  const mine: CoordClient[] = [];
  for (let i = 0; i < count; i += CONNECT_BATCH) {
    const n = Math.min(CONNECT_BATCH, count - i);
    // allSettled, so a session that opens after a sibling failed is still known and closed.
    const batch = await Promise.allSettled(Array.from({ length: n }, () => CoordClient.connect(connectString, {
      sessionTimeout: 30_000,
      // Every driver session has `window` requests out; well below this bound.
      maxQueuedRequests: 4096,
    })));
    for (const r of batch) if (r.status === 'fulfilled') { opened.push(r.value); mine.push(r.value); }
    const failed = batch.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
  return mine;
}

/** Opens every session a bench needs; on failure closes those already open. */
export async function openSessions(connectString: string, drivers: number, watchers: number): Promise<Sessions> {
  const opened: CoordClient[] = [];
  try {
    const d = await openMany(connectString, drivers, opened);
    const w = await openMany(connectString, watchers, opened);
    const [writer] = await openMany(connectString, 1, opened);
    return { drivers: d, watchers: w, writer: writer! };
  } catch (err) {
    await closeAll(opened);
    throw err;
  }
}

export async function closeSessions(s: Sessions): Promise<void> {
  await closeAll([...s.drivers, ...s.watchers, s.writer]);
}

export async function closeAll(clients: readonly CoordClient[]): Promise<void> {
  await Promise.allSettled(clients.map((c) => c.close()));
}
