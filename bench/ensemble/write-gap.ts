import { Code, CoordClient, KeeperError } from '@paddock/coord-client';
import type { SideName } from '../coord/harness.js';
import { type BenchEnsemble, MEMBER_IDS, modes, waitForSettled } from './ensembles.js';
import type { EnsembleBenchParams } from './params.js';

const GAP_ROOT = '/paddock-ensemble-gap';
const GAP_NODE = `${GAP_ROOT}/w`;
/** How often the members' srvr is read while the ensemble recovers (bounds the breakdown's resolution). */
const POLL_MS = 20;

/** One leader kill -9, timed from the kill (ms); null where it was not seen within the bound. */
export interface KillGap {
  readonly killed: number;
  /** The write gap: the longest time between two acks, from the last ack before the kill on. */
  readonly gapMs: number;
  /** Kill → the last ack before it (how stale the gap's start is; a few ms with 1 in flight). */
  readonly lastAckBeforeMs: number;
  /** Kill → a survivor's srvr says leader (elected and synced with a quorum: serving). */
  readonly leaderServingMs: number | null;
  /** Kill → the other survivor's srvr says follower. */
  readonly followerServingMs: number | null;
  /** Kill → the writer's client saw Disconnected, and connected again. */
  readonly disconnectedMs: number | null;
  readonly reconnectedMs: number | null;
  /** Kill → the ack that ended the gap. */
  readonly firstAckMs: number;
  readonly newLeader: number | null;
  /** Restart of the killed member → all three serving again. */
  readonly rejoinMs: number;
  /** Longest ack-to-ack time while it rejoined (a sync that holds the pipeline shows here). */
  readonly rejoinGapMs: number;
}

export interface GapResult {
  readonly side: SideName;
  readonly kills: readonly KillGap[];
  /** Writes retried after ConnectionLoss (each answered or not; setData with version -1 is safe to repeat). */
  readonly retries: number;
}

/**
 * A single writer, one setData in flight, through a connect string of all three members. Keeps
 * the longest ack-to-ack interval since the last mark(), so a window's outage is known without
 * keeping every ack.
 */
class SingleWriter {
  lastAck = 0;
  acks = 0;
  retries = 0;
  private markAt = 0;
  /** The longest ack-to-ack time ending after the mark, and when its ending ack came. */
  maxGap = 0;
  maxGapEnd = 0;
  private stopped = false;
  private failure: unknown = null;
  private loop: Promise<void> = Promise.resolve();
  readonly states: { state: string; at: number }[] = [];

  constructor(readonly client: CoordClient) {
    // Bounded: a few state changes per kill.
    client.on('state', (state) => {
      this.states.push({ state, at: performance.now() });
      if (this.states.length > 64) this.states.shift();
    });
  }

  start(data: Buffer): void {
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          await this.client.setData(GAP_NODE, data);
        } catch (err) {
          if (this.stopped) return;
          if (err instanceof KeeperError && err.code === Code.ConnectionLoss) {
            this.retries++;
            continue;
          }
          this.failure = err;
          return;
        }
        this.ack(performance.now());
      }
    })();
  }

  private ack(at: number): void {
    if (at > this.markAt && at - this.lastAck > this.maxGap) {
      this.maxGap = at - this.lastAck;
      this.maxGapEnd = at;
    }
    this.lastAck = at;
    this.acks++;
  }

  /** Starts a window: the gaps counted are those ending after now, from the last ack before now. */
  mark(): { at: number; lastAck: number } {
    this.markAt = performance.now();
    this.maxGap = 0;
    this.maxGapEnd = 0;
    return { at: this.markAt, lastAck: this.lastAck };
  }

  /** Throws what stopped the writer, if anything did. */
  check(): void {
    if (this.failure !== null) throw new Error(`the single writer failed: ${String(this.failure)}`, { cause: this.failure });
  }

  /** Closing the client fails a write queued while disconnected, so the loop ends even with the ensemble down. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.client.close().catch(() => undefined);
    await this.loop;
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, w: SingleWriter): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    w.check();
    if (await check()) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Kills the leader, times the recovery as the survivors and the writer see it, restarts it. */
async function oneKill(ens: BenchEnsemble, w: SingleWriter, p: EnsembleBenchParams): Promise<KillGap> {
  const killed = await waitForSettled(ens, p.startTimeoutMs);
  const acks0 = w.acks;
  await until(`steady writes before the kill`, () => w.acks > acks0, p.gapTimeoutMs, w);
  await new Promise((r) => setTimeout(r, p.settleMs));
  const mark = w.mark();
  await ens.kill(killed);
  const at = (t: number | undefined): number | null => (t === undefined ? null : t - mark.at);
  let leaderAt: number | undefined;
  let followerAt: number | undefined;
  let newLeader: number | null = null;
  const survivors = MEMBER_IDS.filter((id) => id !== killed);
  await until(`a new leader with a follower on ${ens.side} and an ack`, async () => {
    const m = await modes(ens);
    const now = performance.now();
    const lead = survivors.find((id) => m[id - 1] === 'leader');
    if (lead !== undefined && leaderAt === undefined) { leaderAt = now; newLeader = lead; }
    if (survivors.some((id) => m[id - 1] === 'follower') && followerAt === undefined) followerAt = now;
    return leaderAt !== undefined && followerAt !== undefined && w.lastAck > Math.max(leaderAt, followerAt);
  }, p.gapTimeoutMs, w);
  // Acks continue a while, so a second stall right after the first still counts.
  await new Promise((r) => setTimeout(r, p.settleMs / 2));
  w.check();
  const gapMs = w.maxGap;
  const firstAckMs = w.maxGapEnd - mark.at;
  const disconnected = w.states.find((s) => s.at > mark.at && s.state === 'disconnected')?.at;
  const reconnected = w.states.find((s) => s.at > mark.at && s.state === 'connected')?.at;
  const rejoin = w.mark();
  ens.restart(killed);
  await waitForSettled(ens, p.startTimeoutMs, POLL_MS);
  const rejoinMs = performance.now() - rejoin.at;
  await new Promise((r) => setTimeout(r, p.settleMs / 2));
  w.check();
  return {
    killed, gapMs, lastAckBeforeMs: mark.at - mark.lastAck, leaderServingMs: at(leaderAt), followerServingMs: at(followerAt),
    disconnectedMs: at(disconnected), reconnectedMs: at(reconnected), firstAckMs, newLeader, rejoinMs, rejoinGapMs: w.maxGap,
  };
}

/**
 * `kills` times: wait until all three serve, write steadily for settleMs, kill -9 the leader,
 * time until a new leader and follower serve and the writer is acked again, restart the killed
 * member and wait until all three serve. The writer never stops meanwhile.
 */
export async function measureWriteGap(ens: BenchEnsemble, p: EnsembleBenchParams, say: (line: string) => void): Promise<GapResult> {
  const connect = MEMBER_IDS.map((id) => `127.0.0.1:${ens.clientPort(id)}`).join(',');
  const client = await CoordClient.connect(connect, { sessionTimeout: 30_000 });
  const w = new SingleWriter(client);
  try {
    if (!await client.exists(GAP_ROOT)) await client.create(GAP_ROOT, Buffer.alloc(0));
    if (!await client.exists(GAP_NODE)) await client.create(GAP_NODE, Buffer.alloc(p.dataBytes));
    w.start(Buffer.alloc(p.dataBytes, 0x62));
    const kills: KillGap[] = [];
    for (let i = 0; i < p.kills; i++) {
      const k = await oneKill(ens, w, p);
      say(`${ens.side} kill ${i + 1}/${p.kills}: leader ${k.killed} -> ${k.newLeader ?? '?'}, write gap ${k.gapMs.toFixed(0)} ms`);
      kills.push(k);
    }
    return { side: ens.side, kills, retries: w.retries };
  } finally {
    await w.stop();
  }
}
