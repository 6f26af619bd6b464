import { Code, type JuteReader } from '@paddock/coord-protocol';
import type { Txn, TxnBody } from '../txn/txn.js';
import type { ClientConn } from './client-conn.js';
import type { OpHandler } from './op-table.js';

/**
 * One request on its way through the stages (ZooKeeper's Request). What arrived is fixed when
 * it is made; each stage fills in what it learns: prep the change, log the txn and its zxid,
 * apply the result, and reply reads them all. It is the one object the pipeline allocates per
 * request, so the stages pass it along instead of a list of arguments.
 */
export class Request {
  /** What prep computed: a write's txn body (an error txn for a refused write); null for reads. */
  prepared: TxnBody | null = null;
  /** The logged txn: zxid, time and session (ZooKeeper's txn header) and the body; null until logged. */
  txn: Txn | null = null;
  /** What apply produced: a txn's ApplyResult, or a read's response. */
  result: unknown = null;
  /** ZooKeeper's tree digest after this txn applied, where the server keeps one (an ensemble leader). */
  digest: bigint | null = null;
  /** The code a request is answered with when it has no result (a failed read; a multi refused before a zxid). */
  err: number = Code.OK;

  constructor(
    /** Who asked; null for the server's own txns (session expiry, container reaping, createSession). */
    readonly conn: ClientConn | null,
    readonly sessionId: bigint,
    readonly xid: number,
    readonly op: number,
    /** The op table's row for `op`; undefined for an op the server does not serve and for its own txns. */
    readonly handler: OpHandler | undefined,
    /** The request body as sent, after its RequestHeader; null for the server's own txns. */
    readonly body: JuteReader | null,
    /** Monotonic ms at arrival: the request's latency runs until its reply leaves the durability gate. */
    readonly arrival: number,
  ) {}

  /** The txn's zxid once the log stage gave it one, else -1. */
  get zxid(): number {
    return this.txn === null ? -1 : this.txn.zxid;
  }

  /** A txn the server starts itself: prepared already, entering at the log stage, answered to nobody. */
  static internal(sessionId: bigint, op: number, body: TxnBody): Request {
    const req = new Request(null, sessionId, 0, op, undefined, null, -1);
    req.prepared = body;
    return req;
  }
}

/** A request a client sent, which has a connection to answer. */
export type ClientRequest = Request & { readonly conn: ClientConn };

export function fromClient(req: Request): req is ClientRequest {
  return req.conn !== null;
}

/** One stage of the pipeline: does its part of a request and hands it to the next stage. */
export interface Stage {
  process(req: Request): void;
}
