import type { HistoryOp, ZkInput, ZkOutput } from '../../model/linearizability/index.js';

/** One recorded call: the checker's fields, plus the server it went to when its client was pinned to one. */
export interface Entry {
  readonly client: string;
  readonly call: number;
  ret: number;
  readonly input: ZkInput;
  output?: ZkOutput;
  readonly synced?: boolean;
  /** The one server its session could talk to, or null when the session had the whole ensemble. */
  readonly via: number | null;
}

/** Bound on the ops one round records (the checker takes up to a million; a round makes thousands). */
const MAX_ENTRIES = 200_000;

/**
 * A round's history on one monotonic clock (ms since the round began). An entry starts open
 * (`ret` Infinity) and closes when its reply comes; one that never gets a reply stays open,
 * which the checker reads as "may have taken effect at any point after its call, or never".
 */
export class Recorder {
  private readonly origin = performance.now();
  readonly entries: Entry[] = [];

  now(): number {
    return performance.now() - this.origin;
  }

  call(client: string, input: ZkInput, via: number | null, synced = false): Entry {
    if (this.entries.length >= MAX_ENTRIES) throw new Error(`a round recorded more than ${MAX_ENTRIES} ops`);
    const e: Entry = { client, call: this.now(), ret: Infinity, input, via, ...(synced ? { synced } : {}) };
    this.entries.push(e);
    return e;
  }

  ret(e: Entry, output: ZkOutput): void {
    e.ret = this.now();
    e.output = output;
  }

  /** The history in the checker's format. */
  history(): HistoryOp<ZkInput, ZkOutput>[] {
    return this.entries.map((e) => ({
      client: e.client, call: e.call, ret: e.ret, input: e.input,
      ...(e.output === undefined ? {} : { output: e.output }), ...(e.synced ? { synced: true } : {}),
    }));
  }
}
