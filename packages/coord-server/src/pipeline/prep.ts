import {
  type ACL, type Id, type WireRecord, Code, KeeperError, OpCode, Perms, createModeInfo, pathError, sequenceSuffix,
} from '@paddock/coord-protocol';
import { aclAllows } from '../acl/check-acl.js';
import { fixupAcl } from '../acl/fixup-acl.js';
import { CONTAINER_OWNER, MAX_TTL, isSessionOwner, ttlOwner } from '../tree/ephemeral-type.js';
import { present } from '../base/wire-null.js';
import type { NodeView, PrepView } from './prep-view.js';
import type { QuotaGuard } from './quota-guard.js';
import type { TxnBody } from '../txn/txn.js';

/** What prep knows about the request beyond its body. */
export interface PrepContext {
  readonly view: PrepView;
  readonly sessionId: bigint;
  readonly authInfo: readonly Id[];
  readonly extendedTypes: boolean;
  /** Set when quotas are enforced (enforceQuota); null leaves them reported only. */
  readonly quota: QuotaGuard | null;
}

const SPECIAL_PATHS = new Set(['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config']);

function fail(code: number, path?: string | null): never {
  throw KeeperError.expected(code, path ?? undefined);
}

/** ZooKeeper's PathUtils.validatePath, which also refuses jute's null path (BadArguments). */
function validatePath(path: string | null): asserts path is string {
  if (path === null || pathError(path) !== null) fail(Code.BadArguments, path);
}

/**
 * The path and its parent as ZooKeeper's substring(0, lastSlash), so malformed paths miss
 * rather than match. A null path is dereferenced here, as in ZooKeeper (MarshallingError).
 */
function withParent(nullable: string | null): [path: string, parent: string] {
  const path = present(nullable, 'path');
  const i = path.lastIndexOf('/');
  if (i === -1 || path.includes('\u0000')) fail(Code.BadArguments, path);
  return [path, i === 0 ? '/' : path.slice(0, i)];
}

function record(ctx: PrepContext, path: string) {
  return ctx.view.get(path) ?? fail(Code.NoNode, path);
}

/** ZooKeeper's checkAndIncVersion: -1 matches any version. */
function nextVersion(current: number, expected: number, path: string): number {
  if (expected !== -1 && expected !== current) fail(Code.BadVersion, path);
  return (current + 1) | 0;
}

function checkAcl(ctx: PrepContext, node: NodeView, perm: number, path: string): void {
  if (!aclAllows(node.acl, perm, ctx.authInfo)) fail(Code.NoAuth, path);
}

function fixup(acl: readonly WireRecord<'ACL'>[] | null, ctx: PrepContext, path: string): readonly ACL[] {
  return fixupAcl(acl, ctx.authInfo) ?? fail(Code.InvalidACL, path);
}

/** Requests as the client sent them: any path, id or list may be jute's null. */
type CreateBody = WireRecord<'CreateRequest'> & { ttl?: number };

/**
 * Create, create2, createContainer and createTTL, in ZooKeeper's order of checks. The op code,
 * not the flags, decides the node kind (createContainer always makes a container; create
 * with the container flag makes a plain node), exactly as ZooKeeper 3.8 does.
 */
export function prepCreate(op: number, req: CreateBody, ctx: PrepContext): TxnBody {
  const mode = createModeInfo(req.flags) ?? fail(Code.BadArguments, req.path);
  const ttl = op === OpCode.createTTL ? (req.ttl ?? -1) : -1;
  if (mode.ttl && !ctx.extendedTypes) fail(Code.Unimplemented, req.path);
  if (mode.ttl ? !(ttl > 0 && ttl <= MAX_TTL) : ttl >= 0) fail(Code.BadArguments, req.path);
  const [reqPath, parentPath] = withParent(req.path);
  const acl = fixup(req.acl, ctx, reqPath);
  const parent = record(ctx, parentPath);
  checkAcl(ctx, parent, Perms.CREATE, reqPath);
  const path = mode.sequential ? reqPath + sequenceSuffix(parent.cversion) : reqPath;
  validatePath(path);
  if (ctx.view.get(path)) fail(Code.NodeExists, path);
  if (isSessionOwner(parent.owner)) fail(Code.NoChildrenForEphemerals, path);
  const parentCVersion = (parent.cversion + 1) | 0;
  const dataLength = req.data?.length ?? 0;
  ctx.quota?.check(path, dataLength, 1);
  const owner =
    op === OpCode.createContainer ? CONTAINER_OWNER
    : op === OpCode.createTTL ? ttlOwner(Math.max(ttl, 0))
    : mode.ephemeral ? ctx.sessionId : 0n;
  ctx.view.set(parentPath, { ...parent, cversion: parentCVersion, childCount: parent.childCount + 1 });
  ctx.view.set(path, { version: 0, cversion: 0, aversion: 0, owner, childCount: 0, acl, dataLength });
  return { kind: 'create', op, path, data: req.data, acl, owner, parentCVersion };
}

export function prepDelete(req: WireRecord<'DeleteRequest'>, ctx: PrepContext): TxnBody {
  const [path, parentPath] = withParent(req.path);
  if (SPECIAL_PATHS.has(path)) fail(Code.BadArguments, path);
  const parent = record(ctx, parentPath);
  checkAcl(ctx, parent, Perms.DELETE, path);
  const node = record(ctx, path);
  nextVersion(node.version, req.version, path);
  if (node.childCount > 0) fail(Code.NotEmpty, path);
  ctx.view.set(parentPath, { ...parent, childCount: parent.childCount - 1 });
  ctx.view.set(path, null);
  return { kind: 'delete', path };
}

export function prepSetData(req: WireRecord<'SetDataRequest'>, ctx: PrepContext): TxnBody {
  validatePath(req.path);
  const node = record(ctx, req.path);
  checkAcl(ctx, node, Perms.WRITE, req.path);
  const dataLength = req.data?.length ?? 0;
  // Before the version check, as ZooKeeper orders them.
  ctx.quota?.check(req.path, dataLength - node.dataLength, 0);
  const version = nextVersion(node.version, req.version, req.path);
  ctx.view.set(req.path, { ...node, version, dataLength });
  return { kind: 'setData', path: req.path, data: req.data, version };
}

export function prepSetACL(req: WireRecord<'SetACLRequest'>, ctx: PrepContext): TxnBody {
  validatePath(req.path);
  const acl = fixup(req.acl, ctx, req.path);
  const node = record(ctx, req.path);
  checkAcl(ctx, node, Perms.ADMIN, req.path);
  const version = nextVersion(node.aversion, req.version, req.path);
  ctx.view.set(req.path, { ...node, aversion: version, acl });
  return { kind: 'setACL', path: req.path, acl, version };
}

export function prepCheck(req: WireRecord<'CheckVersionRequest'>, ctx: PrepContext): TxnBody {
  validatePath(req.path);
  const node = record(ctx, req.path);
  checkAcl(ctx, node, Perms.READ, req.path);
  return { kind: 'check', path: req.path, version: nextVersion(node.version, req.version, req.path) };
}

/** The server's own identity for its own requests: ZooKeeper's deleteContainer checks no ACL. */
const SERVER_AUTH: readonly Id[] = [{ scheme: 'super', id: '' }];

/** Deletes an empty container or an expired TTL node (the container manager's request). */
export function prepDeleteContainer(path: string, ctx: PrepContext): TxnBody {
  const node = record(ctx, path);
  if (node.childCount > 0) fail(Code.NotEmpty, path);
  if (isSessionOwner(node.owner)) fail(Code.BadVersion, path);
  return prepDelete({ path, version: -1 }, { ...ctx, authInfo: SERVER_AUTH });
}

export function prepCloseSession(ephemerals: readonly string[], ctx: PrepContext): TxnBody {
  for (const path of ephemerals) ctx.view.set(path, null);
  return { kind: 'closeSession', paths: ephemerals };
}
