import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from '../support/latency-histogram.js';
import { ownCpuMs, processCpuMs } from '../support/process-cpu.js';
import type { EchoCaller, Payload, PayloadKind } from './system.js';

export interface LoopOptions {
  /** Calls in flight at all times, spread evenly over the callers. */
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly roundMs: number;
  readonly rounds: number;
  readonly payloadBytes: number;
  readonly kind: PayloadKind;
  /** Every this many calls a worker sends a fresh payload and compares the reply byte for byte. */
  readonly verifyEvery: number;
  /** The server's process, for its CPU time. */
  readonly serverPid: number;
}

export interface RoundResult {
  readonly calls: number;
  readonly ms: number;
  readonly latency: LatencyHistogram;
  /** CPU used during the round, null where /proc is not available. */
  readonly serverCpuMs: number | null;
  readonly driverCpuMs: number;
}

export interface LoopResult {
  readonly rounds: readonly RoundResult[];
  /** Replies compared byte for byte with what was sent (every reply's length is checked too). */
  readonly verified: number;
}

/** A payload of `bytes` bytes that differs with `tag` (ASCII letters for text, so chars = bytes). */
function makePayload(kind: PayloadKind, bytes: number, tag: number): Payload {
  if (kind === 'text') {
    let s = '';
    for (let i = 0; i < bytes; i++) s += String.fromCharCode(97 + ((tag + i * 7) % 26));
    return s;
  }
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) b[i] = (tag + i * 7) & 0xff;
  if (bytes >= 4) b.writeUInt32BE(tag >>> 0, 0);
  return b;
}

function sameEcho(sent: Payload, reply: Payload): boolean {
  if (typeof sent === 'string') return sent === reply;
  return reply instanceof Uint8Array && sent.equals(reply);
}

interface Round {
  calls: number;
  readonly latency: LatencyHistogram;
}

/** The state the workers share: the round being counted (null while warming up) and how it ends. */
class Loop {
  round: Round | null = null;
  stopping = false;
  verified = 0;
  failure: unknown = null;

  constructor(readonly o: LoopOptions) {}

  async worker(caller: EchoCaller, id: number): Promise<void> {
    const { kind, payloadBytes, verifyEvery } = this.o;
    const usual = makePayload(kind, payloadBytes, id);
    for (let n = 1; !this.stopping; n++) {
      const check = n % verifyEvery === 0;
      const sent = check ? makePayload(kind, payloadBytes, id * 1_000_003 + n) : usual;
      const t0 = performance.now();
      const reply = await caller.call(sent);
      const ms = performance.now() - t0;
      if (reply.length !== payloadBytes || (check && !sameEcho(sent, reply))) {
        throw new Error(`worker ${id}: call ${n} came back with ${describe(reply)} instead of the ${payloadBytes} ${kind === 'text' ? 'characters' : 'bytes'} sent`);
      }
      if (check) this.verified++;
      const round = this.round;
      if (round !== null) {
        round.calls++;
        round.latency.recordMs(ms);
      }
    }
  }

  fail(err: unknown): void {
    this.failure ??= err;
    this.stopping = true;
  }
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `a string of ${v.length}`;
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  return String(v);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A closed loop: `concurrency` workers, each calling again as soon as its call returns, worker i
 * on caller i mod n. After the warm-up, `rounds` rounds of `roundMs` each count the calls that
 * finish within them. Fails on the first error or wrong echo.
 */
export async function closedLoop(callers: readonly EchoCaller[], o: LoopOptions): Promise<LoopResult> {
  const loop = new Loop(o);
  const workers = Array.from({ length: o.concurrency }, (_, i) => loop.worker(callers[i % callers.length] as EchoCaller, i).catch((err: unknown) => loop.fail(err)));
  const rounds: RoundResult[] = [];
  await sleep(o.warmupMs);
  for (let r = 0; r < o.rounds && !loop.stopping; r++) {
    const round: Round = { calls: 0, latency: new LatencyHistogram() };
    const server0 = processCpuMs(o.serverPid);
    const driver0 = ownCpuMs();
    const t0 = performance.now();
    loop.round = round;
    await sleep(o.roundMs);
    loop.round = null;
    const ms = performance.now() - t0;
    const server1 = processCpuMs(o.serverPid);
    rounds.push({
      calls: round.calls, ms, latency: round.latency,
      serverCpuMs: server0 === null || server1 === null ? null : server1 - server0,
      driverCpuMs: ownCpuMs() - driver0,
    });
  }
  loop.stopping = true;
  await Promise.all(workers);
  if (loop.failure !== null) throw loop.failure;
  return { rounds, verified: loop.verified };
}
