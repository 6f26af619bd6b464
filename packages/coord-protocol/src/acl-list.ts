import { codec } from './codec.js';
import type { JuteReader } from './jute/reader.js';
import { JuteWriter } from './jute/writer.js';
import type { ACL } from './records.js';

/**
 * jute's vector<ACL> (int count, then each ACL), as txns, logs and snapshots carry a znode's
 * list. Nearly every znode of a tree has one of a few lists, and the servers share those as
 * one frozen array each, so the bytes of the lists met last are kept: writing one is a copy,
 * and reading bytes seen before gives back the same frozen list without decoding it.
 */
const aclCodec = codec('ACL');
/** Smallest ACL on the wire: perms, and an Id of two empty strings. */
const MIN_ACL_BYTES = 12;
const CACHED = 4;

interface Entry {
  readonly list: readonly ACL[];
  readonly bytes: Buffer;
}

const written: (Entry | undefined)[] = new Array<Entry | undefined>(CACHED).fill(undefined);
let nextWritten = 0;
const read: (Entry | undefined)[] = new Array<Entry | undefined>(CACHED).fill(undefined);
let nextRead = 0;

function encode(list: readonly ACL[]): Buffer {
  const w = new JuteWriter(64);
  w.int(list.length);
  for (const a of list) aclCodec.encode(w, a);
  return w.take();
}

/** Appends `list` as jute's vector<ACL>. The list must not change afterwards (the servers' lists are frozen). */
export function writeAclList(w: JuteWriter, list: readonly ACL[]): void {
  for (let i = 0; i < CACHED; i++) {
    const e = written[i];
    if (e !== undefined && e.list === list) {
      w.raw(e.bytes);
      return;
    }
  }
  const bytes = encode(list);
  if (Object.isFrozen(list) && list.every((a) => Object.isFrozen(a) && Object.isFrozen(a.id))) {
    written[nextWritten] = { list, bytes };
    nextWritten = (nextWritten + 1) % CACHED;
  }
  w.raw(bytes);
}

function bytesAt(buf: Buffer, at: number, end: number, bytes: Buffer): boolean {
  if (end - at < bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (buf[at + i] !== bytes[i]) return false;
  return true;
}

/** Reads a vector<ACL>; the list is frozen (shared with other reads of the same bytes). */
export function readAclList(r: JuteReader): readonly ACL[] {
  const at = r.offset;
  for (let i = 0; i < CACHED; i++) {
    const e = read[i];
    if (e !== undefined && bytesAt(r.buf, at, r.end, e.bytes)) {
      r.offset = at + e.bytes.length;
      return e.list;
    }
  }
  const n = r.vectorLength(MIN_ACL_BYTES);
  const out: ACL[] = new Array<ACL>(n);
  for (let i = 0; i < n; i++) out[i] = aclCodec.decode(r);
  const list = Object.freeze(out.map((a) => Object.freeze({ perms: a.perms, id: Object.freeze({ ...a.id }) })));
  read[nextRead] = { list, bytes: Buffer.from(r.buf.subarray(at, r.offset)) };
  nextRead = (nextRead + 1) % CACHED;
  return list;
}
