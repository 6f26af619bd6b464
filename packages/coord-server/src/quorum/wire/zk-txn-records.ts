import { JuteError, type JuteReader, type JuteWriter, OpCode, readAclList, writeAclList } from '@paddock/coord-protocol';
import { sessionPassword } from '../../session/session-password.js';
import { CONTAINER_OWNER, MAX_TTL, isSessionOwner, ttlOf, ttlOwner } from '../../tree/ephemeral-type.js';
import type { TxnBody } from '../../txn/txn.js';
import { readSafeLong as safeLong } from './safe-long.js';

/**
 * ZooKeeper's txn records (zookeeper.jute, module org.apache.zookeeper.txn), one row per
 * TxnHeader.type: what our TxnBody of that type is written as, and how it reads back. The
 * multi record, which nests these, is in zk-txn.ts.
 *
 *   CreateTxn           path, data, acl[], bool ephemeral, int parentCVersion   (create, create2)
 *   CreateContainerTxn  path, data, acl[], int parentCVersion
 *   CreateTTLTxn        path, data, acl[], int parentCVersion, long ttl
 *   DeleteTxn           path                                       (delete, deleteContainer)
 *   SetDataTxn          path, data, int version (the new one)      (setData, reconfig)
 *   SetACLTxn           path, acl[], int version (the new aversion)
 *   CheckVersionTxn     path, int version (current + 1)
 *   CreateSessionTxn    int timeOut
 *   CloseSessionTxn     ustring[] paths2Delete (absent when closeSessionTxn is disabled)
 *   ErrorTxn            int err
 */

/** What a record needs besides its body: the session of the TxnHeader (ephemeral owner, password). */
export interface RecordContext {
  readonly clientId: bigint;
  /**
   * ZooKeeper's zookeeper.closeSessionTxn.enabled (default true) on the server that wrote the
   * txn: false means its closeSession carries no CloseSessionTxn, which the bytes alone cannot
   * tell when a digest follows.
   */
  readonly closeSessionTxn?: boolean;
}

export interface RecordRow {
  /** The kind of TxnBody this record carries. */
  readonly kind: TxnBody['kind'];
  write(w: JuteWriter, body: TxnBody, ctx: RecordContext): void;
  read(r: JuteReader, type: number, ctx: RecordContext): TxnBody;
}

function hex(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16)}`;
}

/** The body as the row expects it; a mismatch is a bug in the caller's table lookup. */
function as<K extends TxnBody['kind']>(body: TxnBody, kind: K): Extract<TxnBody, { kind: K }> {
  if (body.kind !== kind) throw new Error(`txn record for ${kind} given a ${body.kind}`);
  return body as Extract<TxnBody, { kind: K }>;
}

/**
 * CreateTxn says only "ephemeral", meaning owned by the header's session: an owner that is
 * another session, a container or a TTL cannot be written as one.
 */
function ephemeralFlag(b: Extract<TxnBody, { kind: 'create' }>, ctx: RecordContext): boolean {
  if (b.owner === 0n) return false;
  if (isSessionOwner(b.owner) && b.owner === ctx.clientId) return true;
  throw new Error(`create ${b.path}: owner ${hex(b.owner)} cannot be written as CreateTxn of session ${hex(ctx.clientId)} (op ${b.op})`);
}

const createTxn: RecordRow = {
  kind: 'create',
  write(w, body, ctx) {
    const b = as(body, 'create');
    w.ustring(b.path); w.buffer(b.data); writeAclList(w, b.acl); w.bool(ephemeralFlag(b, ctx)); w.int(b.parentCVersion);
  },
  read(r, type, ctx) {
    const path = r.ustring();
    const data = r.buffer();
    const acl = readAclList(r);
    const owner = r.bool() ? ctx.clientId : 0n;
    return { kind: 'create', op: type, path, data, acl, owner, parentCVersion: r.int() };
  },
};

const createContainerTxn: RecordRow = {
  kind: 'create',
  write(w, body) {
    const b = as(body, 'create');
    if (b.owner !== CONTAINER_OWNER) throw new Error(`createContainer ${b.path}: owner ${hex(b.owner)} is not the container marker`);
    w.ustring(b.path); w.buffer(b.data); writeAclList(w, b.acl); w.int(b.parentCVersion);
  },
  read(r, type) {
    const path = r.ustring();
    const data = r.buffer();
    const acl = readAclList(r);
    return { kind: 'create', op: type, path, data, acl, owner: CONTAINER_OWNER, parentCVersion: r.int() };
  },
};

const createTtlTxn: RecordRow = {
  kind: 'create',
  write(w, body) {
    const b = as(body, 'create');
    const ttl = ttlOf(b.owner);
    if (ttl === undefined) throw new Error(`createTTL ${b.path}: owner ${hex(b.owner)} is not a TTL encoding`);
    w.ustring(b.path); w.buffer(b.data); writeAclList(w, b.acl); w.int(b.parentCVersion); w.long(ttl);
  },
  read(r, type) {
    const path = r.ustring();
    const data = r.buffer();
    const acl = readAclList(r);
    const parentCVersion = r.int();
    const ttl = safeLong(r, () => `createTTL ${path}: ttl`);
    // ZooKeeper's EphemeralType.TTL.toEphemeralOwner refuses the same range when it applies.
    if (ttl <= 0 || ttl > MAX_TTL) throw new JuteError(`createTTL ${path}: ttl ${ttl} is not in 1..${MAX_TTL}`);
    return { kind: 'create', op: type, path, data, acl, owner: ttlOwner(ttl), parentCVersion };
  },
};

const deleteTxn: RecordRow = {
  kind: 'delete',
  write(w, body) {
    w.ustring(as(body, 'delete').path);
  },
  read(r, type) {
    const path = r.ustring();
    return type === OpCode.delete ? { kind: 'delete', path } : { kind: 'delete', path, op: type };
  },
};

const setDataTxn: RecordRow = {
  kind: 'setData',
  write(w, body) {
    const b = as(body, 'setData');
    w.ustring(b.path); w.buffer(b.data); w.int(b.version);
  },
  read(r, type) {
    const path = r.ustring();
    const data = r.buffer();
    const version = r.int();
    return type === OpCode.setData ? { kind: 'setData', path, data, version } : { kind: 'setData', path, data, version, op: type };
  },
};

const setAclTxn: RecordRow = {
  kind: 'setACL',
  write(w, body) {
    const b = as(body, 'setACL');
    w.ustring(b.path); writeAclList(w, b.acl); w.int(b.version);
  },
  read(r) {
    return { kind: 'setACL', path: r.ustring(), acl: readAclList(r), version: r.int() };
  },
};

const checkVersionTxn: RecordRow = {
  kind: 'check',
  write(w, body) {
    const b = as(body, 'check');
    w.ustring(b.path); w.int(b.version);
  },
  read(r) {
    return { kind: 'check', path: r.ustring(), version: r.int() };
  },
};

/** Only the timeout travels: every server derives the password from the session id. */
const createSessionTxn: RecordRow = {
  kind: 'createSession',
  write(w, body) {
    w.int(as(body, 'createSession').timeout);
  },
  read(r, _type, ctx) {
    return { kind: 'createSession', timeout: r.int(), passwd: sessionPassword(ctx.clientId) };
  },
};

const closeSessionTxn: RecordRow = {
  kind: 'closeSession',
  write(w, body) {
    const b = as(body, 'closeSession');
    if (b.pathsUnlisted) return;
    w.int(b.paths.length);
    for (const p of b.paths) w.ustring(p);
  },
  read(r, _type, ctx) {
    // A log from before 3.6 just ends here; ZooKeeper reads that as no record too.
    if (ctx.closeSessionTxn === false || r.remaining === 0) return { kind: 'closeSession', paths: [], pathsUnlisted: true };
    const n = r.vectorLength(4);
    const paths: string[] = new Array(n);
    for (let i = 0; i < n; i++) paths[i] = r.ustring();
    return { kind: 'closeSession', paths };
  },
};

const errorTxn: RecordRow = {
  kind: 'error',
  write(w, body) {
    w.int(as(body, 'error').err);
  },
  read(r) {
    return { kind: 'error', err: r.int() };
  },
};

/** The record of each TxnHeader.type except multi. */
export const RECORD_ROWS: ReadonlyMap<number, RecordRow> = new Map([
  [OpCode.create, createTxn],
  [OpCode.create2, createTxn],
  [OpCode.createContainer, createContainerTxn],
  [OpCode.createTTL, createTtlTxn],
  [OpCode.delete, deleteTxn],
  [OpCode.deleteContainer, deleteTxn],
  [OpCode.setData, setDataTxn],
  [OpCode.reconfig, setDataTxn],
  [OpCode.setACL, setAclTxn],
  [OpCode.check, checkVersionTxn],
  [OpCode.createSession, createSessionTxn],
  [OpCode.closeSession, closeSessionTxn],
  [OpCode.error, errorTxn],
]);

/** The TxnHeader.type our body is logged as (a rolled-back op of a failed multi keeps its own). */
export function headerType(body: TxnBody): number {
  switch (body.kind) {
    case 'createSession': return OpCode.createSession;
    case 'closeSession': return OpCode.closeSession;
    case 'create': return body.op;
    case 'delete': return body.op ?? OpCode.delete;
    case 'setData': return body.op ?? OpCode.setData;
    case 'setACL': return OpCode.setACL;
    case 'check': return OpCode.check;
    case 'error': return body.undone ? headerType(body.undone) : OpCode.error;
    case 'multi': return OpCode.multi;
  }
}
