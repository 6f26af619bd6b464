import {
  type ACL, type Id, type RecordType, Code, KeeperError, OpCode, Perms, createModeInfo, pathError, sequenceSuffix,
} from '@paddock/coord-protocol';
import { aclAllows } from '../acl/check-acl.js';
import { fixupAcl } from '../acl/fixup-acl.js';
import { CONTAINER_OWNER, MAX_TTL, isSessionOwner, ttlOwner } from '../tree/ephemeral-type.js';
import type { NodeView, PrepView } from './prep-view.js';
import type { TxnBody } from './txn.js';

/** What prep knows about the request beyond its body. */
export interface PrepContext {
  readonly view: PrepView;
  readonly sessionId: bigint;
  readonly authInfo: readonly Id[];
  readonly extendedTypes: boolean;
}

const SPECIAL_PATHS = new Set(['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config']);

function fail(code: number, path?: string): never {
  throw KeeperError.expected(code, path);
}

function validatePath(path: string): void {
  if (pathError(path) !== null) fail(Code.BadArguments, path);
}

/** Parent as ZooKeeper's substring(0, lastSlash), so malformed paths miss rather than match. */
function rawParent(path: string): string {
  const i = path.lastIndexOf('/');
  if (i === -1 || path.includes('\u0000')) fail(Code.BadArguments, path);
  return i === 0 ? '/' : path.slice(0, i);
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

function fixup(acl: readonly ACL[], ctx: PrepContext, path: string): ACL[] {
  return fixupAcl(acl, ctx.authInfo) ?? fail(Code.InvalidACL, path);
}

type CreateBody = RecordType<'CreateRequest'> & { ttl?: number };

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
  const parentPath = rawParent(req.path);
  const acl = fixup(req.acl, ctx, req.path);
  const parent = record(ctx, parentPath);
  checkAcl(ctx, parent, Perms.CREATE, req.path);
  const path = mode.sequential ? req.path + sequenceSuffix(parent.cversion) : req.path;
  validatePath(path);
  if (ctx.view.get(path)) fail(Code.NodeExists, path);
  if (isSessionOwner(parent.owner)) fail(Code.NoChildrenForEphemerals, path);
  const parentCVersion = (parent.cversion + 1) | 0;
  const owner =
    op === OpCode.createContainer ? CONTAINER_OWNER
    : op === OpCode.createTTL ? ttlOwner(Math.max(ttl, 0))
    : mode.ephemeral ? ctx.sessionId : 0n;
  ctx.view.set(parentPath, { ...parent, cversion: parentCVersion, childCount: parent.childCount + 1 });
  ctx.view.set(path, { version: 0, cversion: 0, aversion: 0, owner, childCount: 0, acl });
  return { kind: 'create', op, path, data: req.data, acl, owner, parentCVersion };
}

export function prepDelete(req: RecordType<'DeleteRequest'>, ctx: PrepContext): TxnBody {
  const parentPath = rawParent(req.path);
  if (SPECIAL_PATHS.has(req.path)) fail(Code.BadArguments, req.path);
  const parent = record(ctx, parentPath);
  checkAcl(ctx, parent, Perms.DELETE, req.path);
  const node = record(ctx, req.path);
  nextVersion(node.version, req.version, req.path);
  if (node.childCount > 0) fail(Code.NotEmpty, req.path);
  ctx.view.set(parentPath, { ...parent, childCount: parent.childCount - 1 });
  ctx.view.set(req.path, null);
  return { kind: 'delete', path: req.path };
}

export function prepSetData(req: RecordType<'SetDataRequest'>, ctx: PrepContext): TxnBody {
  validatePath(req.path);
  const node = record(ctx, req.path);
  checkAcl(ctx, node, Perms.WRITE, req.path);
  const version = nextVersion(node.version, req.version, req.path);
  ctx.view.set(req.path, { ...node, version });
  return { kind: 'setData', path: req.path, data: req.data, version };
}

export function prepSetACL(req: RecordType<'SetACLRequest'>, ctx: PrepContext): TxnBody {
  validatePath(req.path);
  const acl = fixup(req.acl, ctx, req.path);
  const node = record(ctx, req.path);
  checkAcl(ctx, node, Perms.ADMIN, req.path);
  const version = nextVersion(node.aversion, req.version, req.path);
  ctx.view.set(req.path, { ...node, aversion: version, acl });
  return { kind: 'setACL', path: req.path, acl, version };
}

export function prepCheck(req: RecordType<'CheckVersionRequest'>, ctx: PrepContext): TxnBody {
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
