import { crc32 } from 'node:zlib';
import { JuteError, JuteReader, type JuteWriter, readAclList, writeAclList } from '@paddock/coord-protocol';
import type { Txn, TxnBody } from '../txn/txn.js';

/**
 * The on-disk form of a txn log record:
 *
 *   int32 length | uint32 crc32(payload) | payload (zxid, time, session, body)
 *
 * A record whose length runs past the file or whose checksum does not match is a torn or
 * corrupt tail: recovery stops there and never applies it, even partly.
 */
const KINDS = ['createSession', 'closeSession', 'create', 'delete', 'setData', 'setACL', 'check', 'error', 'multi'] as const;
const KIND_CODE = new Map<string, number>(KINDS.map((k, i) => [k, i]));
/** Fixed bytes before the payload: length and checksum. */
export const RECORD_HEADER = 8;

/** A znode's owner; the common 0 is one shared bigint rather than 16 bytes per znode. */
export function readOwner(r: JuteReader): bigint {
  const id = r.id();
  return id === 0n ? 0n : id;
}

function writeBody(w: JuteWriter, b: TxnBody): void {
  w.int(KIND_CODE.get(b.kind)!);
  switch (b.kind) {
    case 'createSession': w.int(b.timeout); w.buffer(b.passwd); return;
    case 'closeSession': w.int(b.paths.length); for (const p of b.paths) w.ustring(p); return;
    case 'create': w.int(b.op); w.ustring(b.path); w.buffer(b.data); writeAclList(w, b.acl); w.id(b.owner); w.int(b.parentCVersion); return;
    case 'delete': w.ustring(b.path); return;
    case 'setData': w.ustring(b.path); w.buffer(b.data); w.int(b.version); return;
    case 'setACL': w.ustring(b.path); writeAclList(w, b.acl); w.int(b.version); return;
    case 'check': w.ustring(b.path); w.int(b.version); return;
    case 'error': w.int(b.err); return;
    case 'multi': w.int(b.txns.length); for (const t of b.txns) writeBody(w, t); return;
  }
}

function readBody(r: JuteReader): TxnBody {
  const kind = KINDS[r.int()];
  switch (kind) {
    case 'createSession': return { kind, timeout: r.int(), passwd: r.buffer() ?? Buffer.alloc(16) };
    case 'closeSession': {
      const n = r.vectorLength(4);
      const paths: string[] = [];
      for (let i = 0; i < n; i++) paths.push(r.ustring());
      return { kind, paths };
    }
    case 'create':
      return { kind, op: r.int(), path: r.ustring(), data: r.buffer(), acl: readAclList(r), owner: readOwner(r), parentCVersion: r.int() };
    case 'delete': return { kind, path: r.ustring() };
    case 'setData': return { kind, path: r.ustring(), data: r.buffer(), version: r.int() };
    case 'setACL': return { kind, path: r.ustring(), acl: readAclList(r), version: r.int() };
    case 'check': return { kind, path: r.ustring(), version: r.int() };
    case 'error': return { kind, err: r.int() };
    case 'multi': {
      const n = r.vectorLength(4);
      const txns: TxnBody[] = [];
      for (let i = 0; i < n; i++) txns.push(readBody(r));
      return { kind, txns };
    }
    default: throw new JuteError('unknown txn kind');
  }
}

/** Appends one framed, checksummed record to `w`. */
export function encodeTxnRecord(w: JuteWriter, txn: Txn): void {
  const at = w.offset;
  w.int(0);
  w.int(0);
  const start = w.offset;
  w.long(txn.zxid);
  w.long(txn.time);
  w.id(txn.sessionId);
  writeBody(w, txn.body);
  w.buf.writeInt32BE(w.offset - start, at);
  w.buf.writeUInt32BE(crc32(w.buf.subarray(start, w.offset)), at + 4);
}

export type RecordRead = { txn: Txn; next: number } | { torn: string };

/** Reads the record at `offset`; `torn` when it is incomplete or fails its checksum. */
export function decodeTxnRecord(buf: Buffer, offset: number): RecordRead {
  if (buf.length - offset < RECORD_HEADER) return { torn: 'truncated header' };
  const len = buf.readInt32BE(offset);
  // Zero is preallocated or never-written space: the clean end of a log.
  if (len === 0) return { torn: 'end of log' };
  if (len < 0 || len > buf.length - offset - RECORD_HEADER) return { torn: `length ${len} runs past the file` };
  const start = offset + RECORD_HEADER;
  const payload = buf.subarray(start, start + len);
  if (crc32(payload) !== buf.readUInt32BE(offset + 4)) return { torn: 'checksum mismatch' };
  try {
    const r = new JuteReader(buf, start, start + len);
    const txn: Txn = { zxid: r.long(), time: r.long(), sessionId: r.id(), body: readBody(r) };
    if (r.remaining !== 0) return { torn: 'trailing bytes in record' };
    return { txn, next: start + len };
  } catch (e) {
    return { torn: `undecodable record: ${(e as Error).message}` };
  }
}
