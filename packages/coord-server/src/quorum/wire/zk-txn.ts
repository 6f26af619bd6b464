import { Code, JuteError, JuteReader, JuteWriter, MAX_MULTI_OPS, OpCode } from '@paddock/coord-protocol';
import type { Txn, TxnBody } from '../../txn/txn.js';
import { readSafeLong as safeLong } from './safe-long.js';
import { RECORD_ROWS, type RecordContext, headerType } from './zk-txn-records.js';

/**
 * A txn in ZooKeeper's own serialization, as SerializeUtils.serializeRequest writes it into a
 * PROPOSAL and FileTxnLog into its log:
 *
 *   TxnHeader  long clientId | int cxid | long zxid | long time | int type
 *   record     the type's record (zk-txn-records.ts); MultiTxn is int n, then n × (int type, buffer record)
 *   TxnDigest  int version | long treeDigest           (optional: present when digests are enabled)
 */

/** ZooKeeper's TxnDigest: the digest version (2 in 3.8) and the tree's digest after the txn. */
interface ZkTxnDigest {
  readonly version: number;
  readonly treeDigest: bigint;
}

/** One txn as ZooKeeper carries it: our Txn, the client's cxid (a follower matches its pending request by it) and the digest. */
export interface ZkTxn {
  readonly txn: Txn;
  readonly cxid: number;
  readonly digest?: ZkTxnDigest;
}

const DIGEST_BYTES = 12;
/** The sub-txn types DataTree.processTxn applies inside a multi; ZooKeeper fails any other. */
const MULTI_SUB_TYPES: ReadonlySet<number> = new Set([
  OpCode.create, OpCode.createContainer, OpCode.createTTL, OpCode.delete, OpCode.deleteContainer,
  OpCode.setData, OpCode.check, OpCode.error,
]);

function checkHeader(e: ZkTxn): void {
  const { zxid, time } = e.txn;
  if (!Number.isSafeInteger(zxid) || zxid < 0) throw new RangeError(`txn zxid ${zxid} is not a non-negative safe integer`);
  if (!Number.isSafeInteger(time)) throw new RangeError(`txn ${zxid} time ${time} is not a safe integer`);
  if (e.cxid !== (e.cxid | 0)) throw new RangeError(`txn ${zxid} cxid ${e.cxid} is not a 32-bit integer`);
}

function writeRecord(w: JuteWriter, body: TxnBody, ctx: RecordContext): void {
  const written = body.kind === 'error' && body.undone ? body.undone : body;
  const type = headerType(written);
  const row = RECORD_ROWS.get(type);
  if (!row || row.kind !== written.kind) throw new RangeError(`a ${written.kind} txn cannot be logged as ZooKeeper txn type ${type}`);
  row.write(w, written, ctx);
}

function writeMulti(w: JuteWriter, txns: readonly TxnBody[], ctx: RecordContext): void {
  w.int(txns.length);
  for (const sub of txns) {
    const type = headerType(sub);
    if (!MULTI_SUB_TYPES.has(type)) throw new RangeError(`a ${sub.kind} (txn type ${type}) cannot be a sub-txn of ZooKeeper's MultiTxn`);
    w.int(type);
    const at = w.beginFrame();
    writeRecord(w, sub, ctx);
    w.endFrame(at);
  }
}

/** Appends the txn's bytes to `w`. Throws (naming the field) for a txn ZooKeeper's records cannot say. */
export function encodeZkTxn(w: JuteWriter, e: ZkTxn): void {
  checkHeader(e);
  const { txn } = e;
  const ctx: RecordContext = { clientId: txn.sessionId };
  w.id(txn.sessionId);
  w.int(e.cxid);
  w.long(txn.zxid);
  w.long(txn.time);
  w.int(headerType(txn.body));
  if (txn.body.kind === 'multi') writeMulti(w, txn.body.txns, ctx);
  else writeRecord(w, txn.body, ctx);
  if (e.digest) {
    w.int(e.digest.version);
    w.id(e.digest.treeDigest);
  }
}

/** Reused by zkTxnBytes, which copies out what it wrote: no writer and buffer per txn. */
const shared = new JuteWriter(4096);

/** The txn's bytes on their own (a PROPOSAL's data, a log entry). */
export function zkTxnBytes(e: ZkTxn): Buffer {
  encodeZkTxn(shared.reset(), e);
  return shared.take();
}

/**
 * ZooKeeper logs the ops of a failed multi that came before the failing one as prepared, and
 * DataTree turns every non-error op of such a multi into ErrorTxn (OK before the failure,
 * RuntimeInconsistency after it) when it applies it. Our model holds those outcomes; the
 * logged op rides along as `undone` so the txn re-encodes to the same bytes.
 */
function settleFailedMulti(subs: TxnBody[]): TxnBody[] {
  const failedAt = subs.findIndex((b) => b.kind === 'error');
  if (failedAt === -1) return subs;
  return subs.map((b, i): TxnBody => (b.kind === 'error' ? b : {
    kind: 'error', err: i < failedAt ? Code.OK : Code.RuntimeInconsistency, undone: b,
  }));
}

function readMulti(r: JuteReader, ctx: RecordContext): TxnBody {
  const n = r.vectorLength(8);
  if (n > MAX_MULTI_OPS) throw new JuteError(`MultiTxn of ${n} txns, more than ${MAX_MULTI_OPS}`);
  const subs: TxnBody[] = [];
  for (let i = 0; i < n; i++) {
    const type = r.int();
    const len = r.int();
    if (len < 0 || len > r.remaining) throw new JuteError(`MultiTxn sub-txn ${i}: length ${len} with ${r.remaining} bytes left`);
    if (!MULTI_SUB_TYPES.has(type)) throw new JuteError(`MultiTxn sub-txn ${i}: type ${type} cannot be part of a multi`);
    const sub = new JuteReader(r.buf, r.offset, r.offset + len);
    r.offset += len;
    subs.push(RECORD_ROWS.get(type)!.read(sub, type, ctx));
    if (sub.remaining !== 0) throw new JuteError(`MultiTxn sub-txn ${i} (type ${type}): ${sub.remaining} bytes after its record`);
  }
  return { kind: 'multi', txns: settleFailedMulti(subs) };
}

export interface DecodeOptions {
  /** Where the txn starts and ends in the buffer; default the whole buffer. */
  readonly offset?: number;
  readonly end?: number;
  /** The writer's zookeeper.closeSessionTxn.enabled; default true, as in ZooKeeper. */
  readonly closeSessionTxn?: boolean;
}

/**
 * Reads one txn (a PROPOSAL's data, a log entry's bytes) into our model. A closeSession with
 * no bytes after its header is one logged without CloseSessionTxn. Errors name what is wrong.
 */
export function decodeZkTxn(buf: Buffer, opts: DecodeOptions = {}): ZkTxn {
  const r = new JuteReader(buf, opts.offset ?? 0, opts.end ?? buf.length);
  const sessionId = r.id();
  const cxid = r.int();
  const zxid = safeLong(r, 'txn zxid');
  const time = safeLong(r, () => `txn 0x${zxid.toString(16)} time`);
  const type = r.int();
  const ctx: RecordContext = { clientId: sessionId, closeSessionTxn: opts.closeSessionTxn ?? true };
  let body: TxnBody;
  if (type === OpCode.multi) {
    body = readMulti(r, ctx);
  } else {
    const row = RECORD_ROWS.get(type);
    if (!row) throw new JuteError(`txn 0x${zxid.toString(16)}: unknown txn type ${type}`);
    body = row.read(r, type, ctx);
  }
  const txn: Txn = { zxid, time, sessionId, body };
  if (r.remaining === 0) return { txn, cxid };
  if (r.remaining !== DIGEST_BYTES) throw new JuteError(`txn 0x${zxid.toString(16)} (type ${type}): ${r.remaining} bytes after its record`);
  return { txn, cxid, digest: { version: r.int(), treeDigest: r.id() } };
}
