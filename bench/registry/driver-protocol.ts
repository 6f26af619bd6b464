/** Messages between the propagation section and its consumer-worker processes (IPC). */
export type ToWorker = { kind: 'expect'; id: number; port: number; present: boolean } | { kind: 'close' };
export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'armed'; id: number }
  | { kind: 'seen'; id: number; at: number[] }
  | { kind: 'failed'; message: string };

/** CLOCK_MONOTONIC in ms: one clock for every process on the machine, so times compare across them. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
