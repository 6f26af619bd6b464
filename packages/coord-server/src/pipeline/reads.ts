import {
  type Id, type MultiResult, type RecordType, type Stat, type WireRecord, Code, EventType, KeeperError,
  OpCode, WatcherType, AddWatchMode, JuteError, Perms,
} from '@paddock/coord-protocol';
import { aclAllows, redactDigests } from '../acl/check-acl.js';
import { authProvider } from '../acl/auth-providers.js';
import type { DataTree } from '../tree/data-tree.js';
import { WatcherMode, type WatchManager } from '../watch/watch-manager.js';
import { present } from '../base/wire-null.js';
import type { ClientConn } from './client-conn.js';

/** What a read sees: the tree and the watch tables. */
export interface ReadContext {
  readonly tree: DataTree;
  readonly dataWatches: WatchManager<ClientConn>;
  readonly childWatches: WatchManager<ClientConn>;
}

/** Who asks (the Request): the connection, which is the watcher and holds the identities, and its session. */
export interface Asker {
  readonly conn: ClientConn;
  readonly sessionId: bigint;
}

/** ZooKeeper's tree also holds the root under "", so reads of "" see the root. */
const lookup = (path: string): string => (path === '' ? '/' : path);

function node(ctx: ReadContext, path: string) {
  return ctx.tree.getNode(lookup(path)) ?? (() => { throw KeeperError.expected(Code.NoNode, path); })();
}

/** The node at `path` if the caller holds any bit of `perm` on it; NoNode before NoAuth. */
function readable(ctx: ReadContext, who: Asker, path: string, perm: number = Perms.READ) {
  const n = node(ctx, path);
  if (!aclAllows(n.acl, perm, who.conn.authInfo)) throw KeeperError.expected(Code.NoAuth, path);
  return n;
}

export function getData(ctx: ReadContext, who: Asker, req: WireRecord<'GetDataRequest'>): RecordType<'GetDataResponse'> {
  const path = present(req.path, 'path');
  const n = readable(ctx, who, path);
  if (req.watch) ctx.dataWatches.add(path, who.conn, WatcherMode.Standard);
  return { data: n.data, stat: n.stat() };
}

export function exists(ctx: ReadContext, who: Asker, req: WireRecord<'ExistsRequest'>): RecordType<'ExistsResponse'> {
  const path = present(req.path, 'path');
  if (path.includes('\u0000')) throw KeeperError.expected(Code.BadArguments, path);
  // The watch is set even when the node is missing: that is how NodeCreated is observed.
  if (req.watch) ctx.dataWatches.add(path, who.conn, WatcherMode.Standard);
  const stat: Stat | undefined = ctx.tree.statOf(lookup(path));
  if (!stat) throw KeeperError.expected(Code.NoNode, path);
  return { stat };
}

export function getChildren(ctx: ReadContext, who: Asker, req: WireRecord<'GetChildrenRequest'>): RecordType<'GetChildrenResponse'> {
  const path = present(req.path, 'path');
  const n = readable(ctx, who, path);
  if (req.watch) ctx.childWatches.add(path, who.conn, WatcherMode.Standard);
  return { children: [...n.children] };
}

export function getChildren2(ctx: ReadContext, who: Asker, req: WireRecord<'GetChildren2Request'>): RecordType<'GetChildren2Response'> {
  const path = present(req.path, 'path');
  const n = readable(ctx, who, path);
  if (req.watch) ctx.childWatches.add(path, who.conn, WatcherMode.Standard);
  return { children: [...n.children], stat: n.stat() };
}

export function getACL(ctx: ReadContext, who: Asker, req: WireRecord<'GetACLRequest'>): RecordType<'GetACLResponse'> {
  const path = present(req.path, 'path');
  const n = readable(ctx, who, path, Perms.READ | Perms.ADMIN);
  const acl = aclAllows(n.acl, Perms.ADMIN, who.conn.authInfo) ? [...n.acl] : redactDigests(n.acl);
  return { acl, stat: n.stat() };
}

/** sync echoes the path as sent, so a null path comes back null (length -1). */
export function sync(_ctx: ReadContext, _who: Asker, req: WireRecord<'SyncRequest'>): WireRecord<'SyncResponse'> {
  return { path: req.path };
}

export function getAllChildrenNumber(
  ctx: ReadContext, who: Asker, req: WireRecord<'GetAllChildrenNumberRequest'>,
): RecordType<'GetAllChildrenNumberResponse'> {
  const path = present(req.path, 'path');
  readable(ctx, who, path);
  // "" counts the root too: ZooKeeper counts keys under "/" of a map that holds the root twice.
  return { totalNumber: path === '' ? ctx.tree.size : ctx.tree.countDescendants(path) };
}

/** A null prefix lists them all, like "" and "/" (ZooKeeper checks for null first). */
export function getEphemerals(ctx: ReadContext, who: Asker, req: WireRecord<'GetEphemeralsRequest'>): RecordType<'GetEphemeralsResponse'> {
  const all = ctx.tree.ephemeralsOf(who.sessionId);
  const prefix = req.prefixPath ?? '';
  const trimmed = prefix.trim();
  const ephemerals = trimmed === '' || trimmed === '/' ? [...all] : all.filter((p) => p.startsWith(prefix));
  return { ephemerals };
}

export function whoAmI(_ctx: ReadContext, who: Asker): RecordType<'WhoAmIResponse'> {
  return {
    clientInfo: who.conn.authInfo.map((id) => ({ authScheme: id.scheme, user: authProvider(id.scheme)?.userName(id.id) ?? id.id })),
  };
}

/**
 * A null path is accepted and never fires (see WatchManager's null path). Data table first,
 * as ZooKeeper's DataTree.addWatch, which matters only when the null path fails in it.
 */
export function addWatch(ctx: ReadContext, who: Asker, req: WireRecord<'AddWatchRequest'>): RecordType<'ErrorResponse'> {
  if (req.mode === AddWatchMode.PERSISTENT) {
    ctx.dataWatches.add(req.path, who.conn, WatcherMode.Persistent);
    ctx.childWatches.add(req.path, who.conn, WatcherMode.Persistent);
  } else if (req.mode === AddWatchMode.PERSISTENT_RECURSIVE) {
    // In both tables, as ZooKeeper 3.8: replacing a persistent watch's mode in each. The child
    // table never fires NodeChildrenChanged to recursive watchers.
    ctx.dataWatches.add(req.path, who.conn, WatcherMode.PersistentRecursive);
    ctx.childWatches.add(req.path, who.conn, WatcherMode.PersistentRecursive);
  } else {
    throw new JuteError(`unknown addWatch mode ${req.mode}`);
  }
  return { err: 0 };
}

function tablesFor(ctx: ReadContext, type: number): WatchManager<ClientConn>[] {
  if (type === WatcherType.Children) return [ctx.childWatches];
  if (type === WatcherType.Data) return [ctx.dataWatches];
  if (type === WatcherType.Any) return [ctx.childWatches, ctx.dataWatches];
  throw new JuteError(`unknown watcher type ${type}`);
}

/**
 * ZooKeeper 3.8's checkWatches walks the path upward: "" has nothing to walk (NoWatcher), a
 * path without '/' breaks the walk (MarshallingError), and any watcher on the exact path counts.
 * A null path breaks it too, whatever watches exist.
 */
export function checkWatches(ctx: ReadContext, who: Asker, req: WireRecord<'CheckWatchesRequest'>): null {
  const tables = tablesFor(ctx, req.type);
  const path = present(req.path, 'path');
  if (path !== '' && !path.includes('/')) throw new JuteError(`cannot walk path ${path}`);
  if (path === '' || !tables.some((t) => t.hasWatchers(path))) {
    throw KeeperError.expected(Code.NoWatcher, path);
  }
  return null;
}

export function removeWatches(ctx: ReadContext, who: Asker, req: WireRecord<'RemoveWatchesRequest'>): null {
  let removed = false;
  for (const t of tablesFor(ctx, req.type)) removed = t.remove(req.path, who.conn) || removed;
  if (!removed) throw KeeperError.expected(Code.NoWatcher, req.path ?? undefined);
  return null;
}

type SetWatchesBody = WireRecord<'SetWatches'> & Partial<Pick<WireRecord<'SetWatches2'>, 'persistentWatches' | 'persistentRecursiveWatches'>>;

/**
 * Re-arms a reconnecting client's watches. A watch whose condition already changed since the
 * client's last zxid fires at once instead of being armed, so no change is missed in between.
 *
 * Nulls as in ZooKeeper, which walks the lists in this order and stops at the first failure
 * (MarshallingError), keeping what it did before it: a null list, or a null path in the data,
 * exist or child list (it looks the node up) fails; a null path in the persistent lists is
 * added like any other (see WatchManager). setWatches (v1) has no persistent lists.
 */
export function setWatches(ctx: ReadContext, who: Asker, req: SetWatchesBody): null {
  const { tree, dataWatches, childWatches } = ctx;
  const watcher = who.conn;
  const rel = req.relativeZxid;
  const list = (l: (string | null)[] | null) => present(l, 'watch list');
  // setWatches (v1) has no persistent lists at all (undefined), unlike a null one.
  const v2List = (l: (string | null)[] | null | undefined) => (l === undefined ? [] : list(l));
  for (const nullable of list(req.dataWatches)) {
    const path = present(nullable, 'watch path');
    const n = tree.getNode(path);
    if (!n) dataWatches.fire(watcher, EventType.NodeDeleted, path);
    else if (n.mzxid > rel) dataWatches.fire(watcher, EventType.NodeDataChanged, path);
    else ctx.dataWatches.add(path, watcher, WatcherMode.Standard);
  }
  for (const nullable of list(req.existWatches)) {
    const path = present(nullable, 'watch path');
    if (tree.getNode(path)) dataWatches.fire(watcher, EventType.NodeCreated, path);
    else ctx.dataWatches.add(path, watcher, WatcherMode.Standard);
  }
  for (const nullable of list(req.childWatches)) {
    const path = present(nullable, 'watch path');
    const n = tree.getNode(path);
    if (!n) childWatches.fire(watcher, EventType.NodeDeleted, path);
    else if (n.pzxid > rel) childWatches.fire(watcher, EventType.NodeChildrenChanged, path);
    else ctx.childWatches.add(path, watcher, WatcherMode.Standard);
  }
  // Child table first here, unlike addWatch (ZooKeeper's order; it shows only with null paths).
  for (const path of v2List(req.persistentWatches)) {
    ctx.childWatches.add(path, watcher, WatcherMode.Persistent);
    ctx.dataWatches.add(path, watcher, WatcherMode.Persistent);
  }
  for (const path of v2List(req.persistentRecursiveWatches)) {
    ctx.childWatches.add(path, watcher, WatcherMode.PersistentRecursive);
    ctx.dataWatches.add(path, watcher, WatcherMode.PersistentRecursive);
  }
  return null;
}

/** A multiRead's answer: one result per op read so far, and the reply header's code. */
export interface MultiReadAnswer {
  readonly results: MultiResult[];
  readonly err: number;
}

/**
 * multiRead: each op answers on its own; a failed op becomes an error result. An op ZooKeeper
 * cannot run at all (a write op, a null path) ends the request with MarshallingError, and the
 * results of the ops before it are still sent, as ZooKeeper does. ZooKeeper rebuilds each read
 * from its path alone, so the ops' watch flags are ignored.
 */
export function multiRead(ctx: ReadContext, who: Asker, ops: readonly { type: number; body: unknown }[]): MultiReadAnswer {
  const results: MultiResult[] = [];
  for (const op of ops) {
    try {
      const read = { path: (op.body as { path: string | null }).path, watch: false };
      if (op.type === OpCode.getData) {
        results.push({ type: op.type, err: Code.OK, body: getData(ctx, who, read) });
      } else if (op.type === OpCode.getChildren) {
        results.push({ type: op.type, err: Code.OK, body: getChildren(ctx, who, read) });
      } else {
        throw new JuteError(`multiRead may carry only getData and getChildren, not op ${op.type}`);
      }
    } catch (e) {
      if (e instanceof KeeperError) results.push({ type: OpCode.error, err: e.code, body: null });
      else if (e instanceof JuteError) return { results, err: Code.MarshallingError };
      else throw e;
    }
  }
  return { results, err: Code.OK };
}
