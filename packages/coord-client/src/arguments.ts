import {
  AddWatchMode, Code, Ids, OpCode, WatcherType, createModeInfo, pathError,
  type ACL, type JuteWriter, codec,
} from '@paddock/coord-protocol';
import type { Chroot } from './chroot.js';
import { badArguments, keeperError } from './errors.js';
import type { CreateOptions, Data, Watcher } from './types.js';

/**
 * Checks on the caller's arguments, done before anything is sent, as ZooKeeper's client does
 * (PathUtils.validatePath, validateACL, EphemeralType.validateTTL). Each failure is a
 * BadArguments KeeperError (InvalidACL for an empty ACL) whose message says what is wrong.
 */

/** Largest TTL ZooKeeper accepts (EphemeralType.TTL's 40-bit field). */
const MAX_TTL = 0xffffffffff;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/** A sequential create may end in '/', since the server appends the counter. */
export function checkPath(path: string, sequential = false): void {
  if (typeof path !== 'string') throw badArguments(`path must be a string, got ${typeof path}`);
  const why = pathError(sequential ? `${path}1` : path);
  if (why !== null) throw badArguments(`invalid path "${path}": ${why}`, path);
}

export function checkVersion(version: number, path: string): number {
  if (!Number.isInteger(version) || version < INT32_MIN || version > INT32_MAX) {
    throw badArguments(`version must be a 32-bit integer (-1 for any), got ${String(version)}`, path);
  }
  return version;
}

export function toBytes(data: Data | null | undefined, path: string): Buffer | null {
  if (data === undefined || data === null) return null;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw badArguments(`data must be a Uint8Array or a string, got ${typeof data}`, path);
}

export function checkAcl(acl: readonly ACL[], path: string): ACL[] {
  if (!Array.isArray(acl)) throw badArguments('acl must be an array of {perms, id: {scheme, id}}', path);
  if (acl.length === 0) throw keeperError(Code.InvalidACL, path, 'ACL list is empty');
  for (const a of acl) {
    if (!a || !Number.isInteger(a.perms) || !a.id || typeof a.id.scheme !== 'string' || typeof a.id.id !== 'string') {
      throw badArguments(`malformed ACL entry ${JSON.stringify(a)}`, path);
    }
  }
  return acl as ACL[];
}

export function checkWatcher(watcher: Watcher | undefined, path: string): void {
  if (watcher !== undefined && typeof watcher !== 'function') {
    throw badArguments(`watcher must be a function, got ${typeof watcher}`, path);
  }
}

export function checkWatcherType(type: number, path: string): void {
  if (type !== WatcherType.Children && type !== WatcherType.Data && type !== WatcherType.Any) {
    throw badArguments(`watcherType must be WatcherType.Children, Data or Any, got ${String(type)}`, path);
  }
}

export function checkAddWatchMode(mode: number, path: string): void {
  if (mode !== AddWatchMode.PERSISTENT && mode !== AddWatchMode.PERSISTENT_RECURSIVE) {
    throw badArguments(`mode must be AddWatchMode.PERSISTENT or PERSISTENT_RECURSIVE, got ${String(mode)}`, path);
  }
}

/** A validated create: which op carries it and how to write its body. */
export interface CreateCall {
  readonly op: number;
  readonly body: unknown;
  readonly write: (w: JuteWriter) => void;
}

const createRequest = codec('CreateRequest');
const createTtlRequest = codec('CreateTTLRequest');

/**
 * Picks the create op as ZooKeeper's client does: TTL modes use createTTL, containers
 * createContainer, others create (or create2 when the caller wants the Stat).
 */
export function createCall(
  chroot: Chroot, path: string, data: Data | null | undefined, opts: CreateOptions, wantStat: boolean,
): CreateCall {
  if (typeof opts !== 'object' || opts === null) throw badArguments('create options must be an object', path);
  const flags = opts.mode ?? 0;
  const mode = createModeInfo(flags);
  if (!mode) throw badArguments(`unknown create mode ${String(flags)}`, path);
  checkPath(path, mode.sequential);
  const acl = checkAcl(opts.acl ?? Ids.OPEN_ACL_UNSAFE, path);
  const bytes = toBytes(data, path);
  const serverPath = chroot.toServer(path);
  if (mode.ttl) {
    const ttl = opts.ttl;
    if (ttl === undefined || !Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_TTL) {
      throw badArguments(`ttl must be an integer in 1..${MAX_TTL} ms for TTL modes, got ${String(ttl)}`, path);
    }
    const body = { path: serverPath, data: bytes, acl, flags, ttl };
    return { op: OpCode.createTTL, body, write: (w) => createTtlRequest.encode(w, body) };
  }
  if (opts.ttl !== undefined && opts.ttl !== -1) {
    throw badArguments(`ttl is only valid with the *_WITH_TTL modes, not mode ${flags}`, path);
  }
  const op = mode.container ? OpCode.createContainer : wantStat ? OpCode.create2 : OpCode.create;
  const body = { path: serverPath, data: bytes, acl, flags };
  return { op, body, write: (w) => createRequest.encode(w, body) };
}
