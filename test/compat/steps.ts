import {
  AddWatchMode, CreateMode, Ids, JuteWriter, OpCode, WatcherType, codec, encodeMultiRequest,
  type ACL, type Codec, type MultiOp, type OpName, type RecordName,
} from '@paddock/coord-protocol';

/**
 * The vocabulary scenarios are written in. A step is plain data plus, for ops, a function that
 * encodes the request once the runner knows the scenario root and the zxids seen so far.
 *
 * Paths: a string starting with '/' (or '') is relative to the scenario's own root, so
 * `'/a'` becomes `/<root>/a` and `''` is the root itself. `abs(x)` sends `x` exactly as given
 * (`abs('/zookeeper')`, `abs('')`, `abs('no-slash')`).
 */

export interface Abs {
  readonly abs: string;
}
export type P = string | Abs;
export const abs = (raw: string): Abs => ({ abs: raw });

/** A zxid a script refers to: a number, or the highest zxid the named session has seen. */
export type ZxidRef = number | { readonly lastSeenBy: string };

export interface Ctx {
  path(p: P): string;
  zxid(ref: ZxidRef): number;
}

export interface OpStep {
  readonly k: 'op';
  readonly s: string;
  readonly op: number;
  /** Shown in the transcript next to the outcome, e.g. `create $/a`. */
  readonly show: string;
  readonly body: (c: Ctx) => Buffer;
  readonly xid?: number;
  /** After the reply, wait (bounded) for the server to close the connection (closeSession). */
  readonly thenClosed?: boolean;
}

export type Step =
  | OpStep
  | { readonly k: 'open'; readonly s: string; readonly timeOut: number; readonly lastZxidSeen?: ZxidRef; readonly readOnly?: boolean | null; readonly sessionId?: bigint; readonly passwd?: null }
  | { readonly k: 'resume'; readonly s: string; readonly as: string; readonly timeOut: number; readonly passwd: Passwd; readonly lastZxidSeen?: ZxidRef }
  | { readonly k: 'batch'; readonly s: string; readonly ops: readonly OpStep[] }
  | { readonly k: 'raw'; readonly s: string; readonly show: string; readonly bytes: Buffer; readonly replies: number }
  | { readonly k: 'drop'; readonly s: string }
  | { readonly k: 'expire'; readonly s: string }
  | { readonly k: 'hangUp'; readonly s: string }
  | { readonly k: 'waitEvents'; readonly s: string; readonly count: number }
  | { readonly k: 'sleep'; readonly ms: number };

export interface Scenario {
  readonly name: string;
  readonly steps: readonly Step[];
  /** ZooKeeper leaves a request of this scenario unanswered on purpose (the runner waits it out). */
  readonly expectsNoReply?: boolean;
}

/** Default requested session timeout: long enough that no scenario needs pings. */
export const LONG_SESSION = 20_000;
/** Requested timeout for sessions a scenario lets expire (both servers run tickTime 100). */
export const SHORT_SESSION = 300;

export const OPEN_ACL: ACL[] = Ids.OPEN_ACL_UNSAFE.map((a) => ({ perms: a.perms, id: { ...a.id } }));
export type Data = string | Buffer | null;
const bytes = (d: Data): Buffer | null => (typeof d === 'string' ? Buffer.from(d, 'utf8') : d);

function enc<N extends RecordName>(name: N, v: unknown): Buffer {
  const w = new JuteWriter();
  (codec(name) as Codec<unknown>).encode(w, v);
  return w.take();
}

const showPath = (p: P): string => (typeof p === 'string' ? `$${p}` : JSON.stringify(p.abs));

export function opStep(s: string, op: OpName | number, show: string, body: (c: Ctx) => Buffer, xid?: number): OpStep {
  const code = typeof op === 'number' ? op : OpCode[op];
  return { k: 'op', s, op: code, show, body, ...(xid === undefined ? {} : { xid }) };
}

// ---- sessions -------------------------------------------------------------------------------

/** The password a resume sends: the session's own, random bytes, or jute's null buffer. */
export type Passwd = 'same' | 'wrong' | 'null';

/**
 * Opens a new session (or, with `sessionId`, asks for one the server never issued); `passwd:
 * null` sends jute's null buffer instead of 16 zero bytes.
 */
export const open = (s: string, o: { timeOut?: number; lastZxidSeen?: ZxidRef; readOnly?: boolean | null; sessionId?: bigint; passwd?: null } = {}): Step =>
  ({ k: 'open', s, timeOut: o.timeOut ?? LONG_SESSION, ...o });
/** Reconnects session `s` on a new connection named `as` (default: `s` again). */
export const resume = (s: string, o: { as?: string; passwd?: Passwd; timeOut?: number; lastZxidSeen?: ZxidRef } = {}): Step =>
  ({ k: 'resume', s, as: o.as ?? s, timeOut: o.timeOut ?? LONG_SESSION, passwd: o.passwd ?? 'same', ...(o.lastZxidSeen === undefined ? {} : { lastZxidSeen: o.lastZxidSeen }) });
/** Drops the TCP connection without closing the session. */
export const drop = (s: string): Step => ({ k: 'drop', s });
/** Goes silent (no pings) and waits, bounded, for the server to expire the session and hang up. */
export const expire = (s: string): Step => ({ k: 'expire', s });
/** Waits, bounded, for the server to close connection `s` (after a request it rejects that way). */
export const hangsUp = (s: string): Step => ({ k: 'hangUp', s });
/** Waits, bounded, until connection `s` has received `count` watch events in total. */
export const waitEvents = (s: string, count: number): Step => ({ k: 'waitEvents', s, count });
/** Lets time pass; only for scenarios where time passing is the point (TTL lapse). */
export const sleep = (ms: number): Step => ({ k: 'sleep', ms });
export const closeSession = (s: string): OpStep => ({ ...opStep(s, 'closeSession', 'closeSession', () => Buffer.alloc(0)), thenClosed: true });
export const ping = (s: string, xid?: number): OpStep => opStep(s, 'ping', 'ping', () => Buffer.alloc(0), xid);

// ---- node ops -------------------------------------------------------------------------------

type Mode = keyof typeof CreateMode | number;
const modeOf = (m: Mode): number => (typeof m === 'number' ? m : CreateMode[m]);
export interface CreateOpts { mode?: Mode; acl?: ACL[]; ttl?: number }

function createBody(c: Ctx, p: P, data: Data, o: CreateOpts, withTtl: boolean): Buffer {
  const req = { path: c.path(p), data: bytes(data), acl: o.acl ?? OPEN_ACL, flags: modeOf(o.mode ?? 'PERSISTENT') };
  return withTtl ? enc('CreateTTLRequest', { ...req, ttl: o.ttl ?? 0 }) : enc('CreateRequest', req);
}
const modeName = (o: CreateOpts): string => (o.mode === undefined ? '' : ` ${typeof o.mode === 'number' ? `flags=${o.mode}` : o.mode}`);

export const create = (s: string, p: P, data: Data = '', o: CreateOpts = {}): OpStep =>
  opStep(s, 'create', `create ${showPath(p)}${modeName(o)}`, (c) => createBody(c, p, data, o, false));
export const create2 = (s: string, p: P, data: Data = '', o: CreateOpts = {}): OpStep =>
  opStep(s, 'create2', `create2 ${showPath(p)}${modeName(o)}`, (c) => createBody(c, p, data, o, false));
export const createContainer = (s: string, p: P, data: Data = '', o: CreateOpts = {}): OpStep =>
  opStep(s, 'createContainer', `createContainer ${showPath(p)}${modeName(o)}`, (c) => createBody(c, p, data, { mode: 'CONTAINER', ...o }, false));
export const createTTL = (s: string, p: P, ttl: number, data: Data = '', o: CreateOpts = {}): OpStep =>
  opStep(s, 'createTTL', `createTTL ${showPath(p)} ttl=${ttl}${modeName(o)}`, (c) => createBody(c, p, data, { mode: 'PERSISTENT_WITH_TTL', ...o, ttl }, true));
export const del = (s: string, p: P, version = -1): OpStep =>
  opStep(s, 'delete', `delete ${showPath(p)} v=${version}`, (c) => enc('DeleteRequest', { path: c.path(p), version }));
export const exists = (s: string, p: P, watch = false): OpStep =>
  opStep(s, 'exists', `exists ${showPath(p)}${watch ? ' watch' : ''}`, (c) => enc('ExistsRequest', { path: c.path(p), watch }));
export const getData = (s: string, p: P, watch = false): OpStep =>
  opStep(s, 'getData', `getData ${showPath(p)}${watch ? ' watch' : ''}`, (c) => enc('GetDataRequest', { path: c.path(p), watch }));
export const setData = (s: string, p: P, data: Data, version = -1): OpStep =>
  opStep(s, 'setData', `setData ${showPath(p)} v=${version}`, (c) => enc('SetDataRequest', { path: c.path(p), data: bytes(data), version }));
export const getChildren = (s: string, p: P, watch = false): OpStep =>
  opStep(s, 'getChildren', `getChildren ${showPath(p)}${watch ? ' watch' : ''}`, (c) => enc('GetChildrenRequest', { path: c.path(p), watch }));
export const getChildren2 = (s: string, p: P, watch = false): OpStep =>
  opStep(s, 'getChildren2', `getChildren2 ${showPath(p)}${watch ? ' watch' : ''}`, (c) => enc('GetChildren2Request', { path: c.path(p), watch }));
export const getACL = (s: string, p: P): OpStep =>
  opStep(s, 'getACL', `getACL ${showPath(p)}`, (c) => enc('GetACLRequest', { path: c.path(p) }));
export const setACL = (s: string, p: P, acl: ACL[], version = -1): OpStep =>
  opStep(s, 'setACL', `setACL ${showPath(p)} v=${version}`, (c) => enc('SetACLRequest', { path: c.path(p), acl, version }));
export const check = (s: string, p: P, version: number): OpStep =>
  opStep(s, 'check', `check ${showPath(p)} v=${version}`, (c) => enc('CheckVersionRequest', { path: c.path(p), version }));
export const sync = (s: string, p: P): OpStep =>
  opStep(s, 'sync', `sync ${showPath(p)}`, (c) => enc('SyncRequest', { path: c.path(p) }));
export const getEphemerals = (s: string, prefix: P): OpStep =>
  opStep(s, 'getEphemerals', `getEphemerals ${showPath(prefix)}`, (c) => enc('GetEphemeralsRequest', { prefixPath: c.path(prefix) }));
export const getAllChildrenNumber = (s: string, p: P): OpStep =>
  opStep(s, 'getAllChildrenNumber', `getAllChildrenNumber ${showPath(p)}`, (c) => enc('GetAllChildrenNumberRequest', { path: c.path(p) }));
export const whoAmI = (s: string): OpStep => opStep(s, 'whoAmI', 'whoAmI', () => Buffer.alloc(0));
export const auth = (s: string, scheme: string, credential: string): OpStep =>
  opStep(s, 'auth', `auth ${scheme}`, () => enc('AuthPacket', { type: 0, scheme, auth: Buffer.from(credential) }), -4);

// ---- watches --------------------------------------------------------------------------------

export const addWatch = (s: string, p: P, mode: keyof typeof AddWatchMode | number): OpStep =>
  opStep(s, 'addWatch', `addWatch ${showPath(p)} ${mode}`, (c) =>
    enc('AddWatchRequest', { path: c.path(p), mode: typeof mode === 'number' ? mode : AddWatchMode[mode] }));
type WType = keyof typeof WatcherType | number;
const wtype = (t: WType): number => (typeof t === 'number' ? t : WatcherType[t]);
export const removeWatches = (s: string, p: P, type: WType): OpStep =>
  opStep(s, 'removeWatches', `removeWatches ${showPath(p)} ${type}`, (c) => enc('RemoveWatchesRequest', { path: c.path(p), type: wtype(type) }));
export const checkWatches = (s: string, p: P, type: WType): OpStep =>
  opStep(s, 'checkWatches', `checkWatches ${showPath(p)} ${type}`, (c) => enc('CheckWatchesRequest', { path: c.path(p), type: wtype(type) }));

export interface WatchSets {
  relativeZxid?: ZxidRef;
  data?: P[];
  exist?: P[];
  child?: P[];
  persistent?: P[];
  recursive?: P[];
}
function watchBody(c: Ctx, w: WatchSets): Record<string, unknown> {
  const paths = (l: P[] | undefined): string[] => (l ?? []).map((p) => c.path(p));
  return {
    relativeZxid: c.zxid(w.relativeZxid ?? 0), dataWatches: paths(w.data), existWatches: paths(w.exist),
    childWatches: paths(w.child), persistentWatches: paths(w.persistent), persistentRecursiveWatches: paths(w.recursive),
  };
}
/** setWatches with the xid real clients use (-8) unless told otherwise. */
export const setWatches = (s: string, w: WatchSets, xid = -8): OpStep =>
  opStep(s, 'setWatches', 'setWatches', (c) => enc('SetWatches', watchBody(c, w)), xid);
export const setWatches2 = (s: string, w: WatchSets, xid = -8): OpStep =>
  opStep(s, 'setWatches2', 'setWatches2', (c) => enc('SetWatches2', watchBody(c, w)), xid);

// ---- multi ----------------------------------------------------------------------------------

export interface MultiPart {
  readonly show: string;
  readonly op: (c: Ctx) => MultiOp;
}
export const m = {
  create: (p: P, data: Data = '', o: CreateOpts = {}): MultiPart => ({
    show: `create ${showPath(p)}${modeName(o)}`,
    op: (c) => ({ type: OpCode.create, body: { path: c.path(p), data: bytes(data), acl: o.acl ?? OPEN_ACL, flags: modeOf(o.mode ?? 'PERSISTENT') } }),
  }),
  create2: (p: P, data: Data = '', o: CreateOpts = {}): MultiPart => ({
    show: `create2 ${showPath(p)}${modeName(o)}`,
    op: (c) => ({ type: OpCode.create2, body: { path: c.path(p), data: bytes(data), acl: o.acl ?? OPEN_ACL, flags: modeOf(o.mode ?? 'PERSISTENT') } }),
  }),
  createContainer: (p: P, o: { acl?: ACL[] } = {}): MultiPart => ({
    show: `createContainer ${showPath(p)}`,
    op: (c) => ({ type: OpCode.createContainer, body: { path: c.path(p), data: Buffer.alloc(0), acl: o.acl ?? OPEN_ACL, flags: CreateMode.CONTAINER } }),
  }),
  createTTL: (p: P, ttl: number, o: { acl?: ACL[] } = {}): MultiPart => ({
    show: `createTTL ${showPath(p)} ttl=${ttl}`,
    op: (c) => ({ type: OpCode.createTTL, body: { path: c.path(p), data: Buffer.alloc(0), acl: o.acl ?? OPEN_ACL, flags: CreateMode.PERSISTENT_WITH_TTL, ttl } }),
  }),
  delete: (p: P, version = -1): MultiPart => ({ show: `delete ${showPath(p)} v=${version}`, op: (c) => ({ type: OpCode.delete, body: { path: c.path(p), version } }) }),
  setData: (p: P, data: Data, version = -1): MultiPart => ({
    show: `setData ${showPath(p)} v=${version}`,
    op: (c) => ({ type: OpCode.setData, body: { path: c.path(p), data: bytes(data), version } }),
  }),
  check: (p: P, version: number): MultiPart => ({ show: `check ${showPath(p)} v=${version}`, op: (c) => ({ type: OpCode.check, body: { path: c.path(p), version } }) }),
  getData: (p: P): MultiPart => ({ show: `getData ${showPath(p)}`, op: (c) => ({ type: OpCode.getData, body: { path: c.path(p), watch: false } }) }),
  getChildren: (p: P): MultiPart => ({ show: `getChildren ${showPath(p)}`, op: (c) => ({ type: OpCode.getChildren, body: { path: c.path(p), watch: false } }) }),
};

function multiStep(s: string, op: 'multi' | 'multiRead', parts: readonly MultiPart[]): OpStep {
  return opStep(s, op, `${op} [${parts.map((x) => x.show).join('; ')}]`, (c) => {
    const w = new JuteWriter();
    encodeMultiRequest(w, parts.map((x) => x.op(c)));
    return w.take();
  });
}
export const multi = (s: string, ...parts: MultiPart[]): OpStep => multiStep(s, 'multi', parts);
export const multiRead = (s: string, ...parts: MultiPart[]): OpStep => multiStep(s, 'multiRead', parts);

// ---- raw ------------------------------------------------------------------------------------

/** Any op code with any body bytes, framed correctly. */
export const rawOp = (s: string, code: number, body: Buffer | ((c: Ctx) => Buffer), show = `op ${code}`, xid?: number): OpStep =>
  opStep(s, code, show, typeof body === 'function' ? body : () => body, xid);
/**
 * Bytes written to the socket exactly as given (no framing); then waits (bounded) until
 * `replies` frames arrived or the connection closed. With 0 it does not wait at all.
 */
export const rawBytes = (s: string, show: string, b: Buffer, replies = 1): Step => ({ k: 'raw', s, show, bytes: b, replies });
/** Sends the ops back to back on one connection before reading any reply (pipelining). */
export const batch = (s: string, ...ops: OpStep[]): Step => ({ k: 'batch', s, ops });

/** Encodes a record by name, for scenarios that build raw bodies. */
export const encodeRecord = enc;
export const scenario = (name: string, steps: Step[], o: { expectsNoReply?: boolean } = {}): Scenario => ({ name, steps, ...o });
