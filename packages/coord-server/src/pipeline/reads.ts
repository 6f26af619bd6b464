import {
  type Id, type RecordType, type Stat, Code, EventType, KeeperError, KeeperState, OpCode, WatcherType,
  AddWatchMode, JuteError, Perms,
} from '@paddock/coord-protocol';
import { aclAllows, redactDigests } from '../acl/check-acl.js';
import { authProvider } from '../acl/auth-providers.js';
import type { DataTree } from '../tree/data-tree.js';
import { type Watcher, WatcherMode, type WatchManager } from '../watch/watch-manager.js';

/** What a read sees: the tree, the watch tables, and the asking connection. */
export interface ReadContext {
  readonly tree: DataTree;
  readonly dataWatches: WatchManager;
  readonly childWatches: WatchManager;
  readonly watcher: Watcher;
  readonly sessionId: bigint;
  readonly authInfo: readonly Id[];
}

/** ZooKeeper's tree also holds the root under "", so reads of "" see the root. */
const lookup = (path: string): string => (path === '' ? '/' : path);

function node(ctx: ReadContext, path: string) {
  return ctx.tree.getNode(lookup(path)) ?? (() => { throw KeeperError.expected(Code.NoNode, path); })();
}

/** The node at `path` if the caller holds any bit of `perm` on it; NoNode before NoAuth. */
function readable(ctx: ReadContext, path: string, perm: number = Perms.READ) {
  const n = node(ctx, path);
  if (!aclAllows(n.acl, perm, ctx.authInfo)) throw KeeperError.expected(Code.NoAuth, path);
  return n;
}

export function getData(ctx: ReadContext, req: RecordType<'GetDataRequest'>): RecordType<'GetDataResponse'> {
  const n = readable(ctx, req.path);
  if (req.watch) ctx.dataWatches.add(req.path, ctx.watcher, WatcherMode.Standard);
  return { data: n.data, stat: n.stat() };
}

export function exists(ctx: ReadContext, req: RecordType<'ExistsRequest'>): RecordType<'ExistsResponse'> {
  if (req.path.includes('\u0000')) throw KeeperError.expected(Code.BadArguments, req.path);
  // The watch is set even when the node is missing: that is how NodeCreated is observed.
  if (req.watch) ctx.dataWatches.add(req.path, ctx.watcher, WatcherMode.Standard);
  const stat: Stat | undefined = ctx.tree.statOf(lookup(req.path));
  if (!stat) throw KeeperError.expected(Code.NoNode, req.path);
  return { stat };
}

export function getChildren(ctx: ReadContext, req: RecordType<'GetChildrenRequest'>): RecordType<'GetChildrenResponse'> {
  const n = readable(ctx, req.path);
  if (req.watch) ctx.childWatches.add(req.path, ctx.watcher, WatcherMode.Standard);
  return { children: [...n.children] };
}

export function getChildren2(ctx: ReadContext, req: RecordType<'GetChildren2Request'>): RecordType<'GetChildren2Response'> {
  const n = readable(ctx, req.path);
  if (req.watch) ctx.childWatches.add(req.path, ctx.watcher, WatcherMode.Standard);
  return { children: [...n.children], stat: n.stat() };
}

export function getACL(ctx: ReadContext, req: RecordType<'GetACLRequest'>): RecordType<'GetACLResponse'> {
  const n = readable(ctx, req.path, Perms.READ | Perms.ADMIN);
  const acl = aclAllows(n.acl, Perms.ADMIN, ctx.authInfo) ? [...n.acl] : redactDigests(n.acl);
  return { acl, stat: n.stat() };
}

export function sync(_ctx: ReadContext, req: RecordType<'SyncRequest'>): RecordType<'SyncResponse'> {
  return { path: req.path };
}

export function getAllChildrenNumber(
  ctx: ReadContext, req: RecordType<'GetAllChildrenNumberRequest'>,
): RecordType<'GetAllChildrenNumberResponse'> {
  readable(ctx, req.path);
  // "" counts the root too: ZooKeeper counts keys under "/" of a map that holds the root twice.
  return { totalNumber: req.path === '' ? ctx.tree.size : ctx.tree.countDescendants(req.path) };
}

export function getEphemerals(ctx: ReadContext, req: RecordType<'GetEphemeralsRequest'>): RecordType<'GetEphemeralsResponse'> {
  const all = ctx.tree.ephemeralsOf(ctx.sessionId);
  const prefix = req.prefixPath.trim();
  const ephemerals = prefix === '' || prefix === '/' ? [...all] : all.filter((p) => p.startsWith(req.prefixPath));
  return { ephemerals };
}

export function whoAmI(ctx: ReadContext): RecordType<'WhoAmIResponse'> {
  return {
    clientInfo: ctx.authInfo.map((id) => ({ authScheme: id.scheme, user: authProvider(id.scheme)?.userName(id.id) ?? id.id })),
  };
}

export function addWatch(ctx: ReadContext, req: RecordType<'AddWatchRequest'>): RecordType<'ErrorResponse'> {
  if (req.mode === AddWatchMode.PERSISTENT) {
    ctx.dataWatches.add(req.path, ctx.watcher, WatcherMode.Persistent);
    ctx.childWatches.add(req.path, ctx.watcher, WatcherMode.Persistent);
  } else if (req.mode === AddWatchMode.PERSISTENT_RECURSIVE) {
    // In both tables, as ZooKeeper 3.8: replacing a persistent watch's mode in each. The child
    // table never fires NodeChildrenChanged to recursive watchers.
    ctx.dataWatches.add(req.path, ctx.watcher, WatcherMode.PersistentRecursive);
    ctx.childWatches.add(req.path, ctx.watcher, WatcherMode.PersistentRecursive);
  } else {
    throw new JuteError(`unknown addWatch mode ${req.mode}`);
  }
  return { err: 0 };
}

function tablesFor(ctx: ReadContext, type: number): WatchManager[] {
  if (type === WatcherType.Children) return [ctx.childWatches];
  if (type === WatcherType.Data) return [ctx.dataWatches];
  if (type === WatcherType.Any) return [ctx.childWatches, ctx.dataWatches];
  throw new JuteError(`unknown watcher type ${type}`);
}

/**
 * ZooKeeper 3.8's checkWatches walks the path upward: "" has nothing to walk (NoWatcher), a
 * path without '/' breaks the walk (MarshallingError), and any watcher on the exact path counts.
 */
export function checkWatches(ctx: ReadContext, req: RecordType<'CheckWatchesRequest'>): null {
  const tables = tablesFor(ctx, req.type);
  if (req.path !== '' && !req.path.includes('/')) throw new JuteError(`cannot walk path ${req.path}`);
  if (req.path === '' || !tables.some((t) => t.hasWatchers(req.path))) {
    throw KeeperError.expected(Code.NoWatcher, req.path);
  }
  return null;
}

export function removeWatches(ctx: ReadContext, req: RecordType<'RemoveWatchesRequest'>): null {
  let removed = false;
  for (const t of tablesFor(ctx, req.type)) removed = t.remove(req.path, ctx.watcher) || removed;
  if (!removed) throw KeeperError.expected(Code.NoWatcher, req.path);
  return null;
}

type SetWatchesBody = RecordType<'SetWatches'> & Partial<Pick<RecordType<'SetWatches2'>, 'persistentWatches' | 'persistentRecursiveWatches'>>;

/**
 * Re-arms a reconnecting client's watches. A watch whose condition already changed since the
 * client's last zxid fires at once instead of being armed, so no change is missed in between.
 */
export function setWatches(ctx: ReadContext, req: SetWatchesBody): null {
  const { tree, watcher } = ctx;
  const rel = req.relativeZxid;
  const fire = (type: number, path: string) => watcher.process(type, KeeperState.SyncConnected, path);
  for (const path of req.dataWatches) {
    const n = tree.getNode(path);
    if (!n) fire(EventType.NodeDeleted, path);
    else if (n.mzxid > rel) fire(EventType.NodeDataChanged, path);
    else ctx.dataWatches.add(path, watcher, WatcherMode.Standard);
  }
  for (const path of req.existWatches) {
    if (tree.getNode(path)) fire(EventType.NodeCreated, path);
    else ctx.dataWatches.add(path, watcher, WatcherMode.Standard);
  }
  for (const path of req.childWatches) {
    const n = tree.getNode(path);
    if (!n) fire(EventType.NodeDeleted, path);
    else if (n.pzxid > rel) fire(EventType.NodeChildrenChanged, path);
    else ctx.childWatches.add(path, watcher, WatcherMode.Standard);
  }
  for (const path of req.persistentWatches ?? []) {
    ctx.childWatches.add(path, watcher, WatcherMode.Persistent);
    ctx.dataWatches.add(path, watcher, WatcherMode.Persistent);
  }
  for (const path of req.persistentRecursiveWatches ?? []) {
    ctx.dataWatches.add(path, watcher, WatcherMode.PersistentRecursive);
    ctx.childWatches.add(path, watcher, WatcherMode.PersistentRecursive);
  }
  return null;
}

/** multiRead: each op answers on its own; a failed op becomes an error result. */
export function multiRead(ctx: ReadContext, ops: readonly { type: number; body: unknown }[]) {
  if (ops.some((op) => op.type !== OpCode.getData && op.type !== OpCode.getChildren)) {
    throw new JuteError('multiRead may carry only getData and getChildren');
  }
  return ops.map((op) => {
    try {
      if (op.type === OpCode.getData) {
        return { type: op.type, err: Code.OK, body: getData(ctx, op.body as RecordType<'GetDataRequest'>) };
      }
      return { type: op.type, err: Code.OK, body: getChildren(ctx, op.body as RecordType<'GetChildrenRequest'>) };
    } catch (e) {
      if (e instanceof KeeperError) return { type: OpCode.error, err: e.code, body: null };
      throw e;
    }
  });
}
