import { errorName } from '@paddock/coord-protocol';
import type { ClientOp, OpResult } from './ops.js';

/**
 * One client operation as the client saw it: the plain record a linearizability checker
 * reads (test/sim/README.md, "Client histories"). `ret` null means open-ended: the call never
 * returned (connection lost, session gone, schedule over), so it may or may not have happened.
 */
export interface HistoryOp {
  /** The client (0..clients-1; the heal phase's probe client is `clients`). */
  readonly client: number;
  /** The session it ran in, as hex, or '' before the client had one. */
  readonly session: string;
  readonly kind: ClientOp['op'];
  /** The znode; '' for closeSession. */
  readonly path: string;
  /** What was asked: data (create, set), expected version (set, delete), create flags. */
  readonly input: { readonly data?: string; readonly version?: number; readonly flags?: number };
  /** On success: what came back (created path, data and version, children). */
  output: OpResult | null;
  /** ZooKeeper's error name on failure (NodeExists, BadVersion...), null on success or while open. */
  error: string | null;
  /** Simulator step (global event number) at the call and at the return; unique and increasing. */
  readonly call: number;
  ret: number | null;
  /** Simulated ms at the call and at the return. */
  readonly callTime: number;
  retTime: number | null;
  /** The server the call went to. */
  readonly server: number;
  /** The zxid in the reply header (a write's own zxid; a read's: the server's last applied). */
  zxid: number | null;
}

/** The operations of one schedule, in call order. */
export class History {
  readonly ops: HistoryOp[] = [];

  call(client: number, session: bigint | null, op: ClientOp, server: number, step: number, time: number): HistoryOp {
    const input: { data?: string; version?: number; flags?: number } = {};
    if ('data' in op) input.data = op.data;
    if ('version' in op) input.version = op.version;
    if ('flags' in op) input.flags = op.flags;
    const rec: HistoryOp = {
      client, session: session === null ? '' : session.toString(16), kind: op.op, path: 'path' in op ? op.path : '',
      input, output: null, error: null, call: step, ret: null, callTime: time, retTime: null, server, zxid: null,
    };
    this.ops.push(rec);
    return rec;
  }

  /** The call returned: OK with its result, or a ZooKeeper error code. */
  returned(rec: HistoryOp, err: number, zxid: number, result: OpResult, step: number, time: number): void {
    rec.ret = step;
    rec.retTime = time;
    rec.zxid = zxid;
    if (err === 0) rec.output = result;
    else rec.error = errorName(err);
  }

  /** The call will never return (ConnectionLoss): it stays open-ended. */
  lost(rec: HistoryOp): void {
    rec.error = 'ConnectionLoss';
  }

  /**
   * What the history alone must show, whatever the linearizability checker says: the record is
   * well formed (calls in step order, a return after its call, OK with an output or an error
   * name, never both) and no sequential name was handed out twice. Null when it holds.
   */
  check(): string | null {
    const names = new Map<string, HistoryOp>();
    let lastCall = -1;
    for (const o of this.ops) {
      if (o.call <= lastCall) return `op ${JSON.stringify(o)} is called at step ${o.call}, not after the op before it (${lastCall})`;
      lastCall = o.call;
      if (o.ret !== null && (o.ret < o.call || (o.output === null) === (o.error === null))) return `op ${JSON.stringify(o)} returned malformed`;
      if (o.ret === null && o.output !== null) return `op ${JSON.stringify(o)} has an output but never returned`;
      const name = o.kind === 'create' && o.input.flags !== undefined && (o.input.flags & 2) !== 0 ? o.output?.path : undefined;
      if (name === undefined) continue;
      const first = names.get(name);
      if (first) return `sequential name ${name} was returned twice: to client ${first.client} (step ${first.ret}) and client ${o.client} (step ${o.ret})`;
      names.set(name, o);
    }
    return null;
  }

  /** One JSON object per line, bigints as hex strings already: what a checker or a file takes. */
  toJsonLines(): string {
    return this.ops.map((o) => JSON.stringify(o)).join('\n');
  }
}
