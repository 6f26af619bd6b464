import { Code, CreateMode, Ids, KeeperError, type CreateModeValue } from '../index.js';
import { aclArgument } from './acl-commands.js';
import { CliError } from './cli-error.js';
import { intOption, type ParsedArgs } from './command-options.js';
import { NO_OPTIONS, arg, zkOf, type Command, type CommandContext } from './command.js';
import { formatStat, javaList } from './format.js';
import { checkPath } from './path-check.js';
import { listSubtree, visitSubtree } from './subtree.js';

/** Reading and writing znodes: what each prints, and where (zkCli sends some of it to stderr). */

const watcherOf = (ctx: CommandContext, a: ParsedArgs) => (a.flags.has('w') ? ctx.session.watcher : undefined);

const ls: Command = {
  name: 'ls', usage: 'ls [-s] [-w] [-R] path', options: { flags: 'swR', valued: '' }, minArgs: 1,
  legacyWatch: "'ls path [watch]' has been deprecated. Please use 'ls [-w] path' instead.",
  async run(ctx, a) {
    const path = arg(a, 0);
    checkPath(path);
    const zk = await zkOf(ctx);
    const watcher = watcherOf(ctx, a);
    if (a.flags.has('R')) {
      await visitSubtree(zk, path, watcher, (p) => ctx.out(`${p}\n`));
    } else if (a.flags.has('s')) {
      const { children, stat } = await zk.getChildren2(path, watcher);
      ctx.out(`${javaList(children.sort())}\n${formatStat(stat)}`);
    } else {
      ctx.out(`${javaList((await zk.getChildren(path, watcher)).sort())}\n`);
    }
  },
};

const get: Command = {
  name: 'get', usage: 'get [-s] [-w] path', options: { flags: 'sw', valued: '' }, minArgs: 1,
  legacyWatch: "'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.",
  async run(ctx, a) {
    const path = arg(a, 0);
    checkPath(path);
    const zk = await zkOf(ctx);
    const { data, nullData, stat } = await zk.getData(path, watcherOf(ctx, a));
    ctx.out(`${nullData ? 'null' : data.toString('utf8')}\n${a.flags.has('s') ? formatStat(stat) : ''}`);
  },
};

const stat: Command = {
  name: 'stat', usage: 'stat [-w] path', options: { flags: 'w', valued: '' }, minArgs: 1,
  legacyWatch: "'stat path [watch]' has been deprecated. Please use 'stat [-w] path' instead.",
  async run(ctx, a) {
    const path = arg(a, 0);
    checkPath(path);
    const zk = await zkOf(ctx);
    const st = await zk.exists(path, watcherOf(ctx, a));
    if (!st) throw new KeeperError(Code.NoNode, path);
    ctx.out(formatStat(st));
  },
};

const set: Command = {
  name: 'set', usage: 'set [-s] [-v version] path data', options: { flags: 's', valued: 'v' }, minArgs: 2,
  async run(ctx, a) {
    const version = intOption(a, 'v', -1);
    const path = arg(a, 0);
    checkPath(path);
    const zk = await zkOf(ctx);
    const st = await zk.setData(path, arg(a, 1), version);
    if (a.flags.has('s')) ctx.out(formatStat(st));
  },
};

/** Largest TTL (EphemeralType.TTL's 40 bits). */
const MAX_TTL = 0xffffffffff;

/** What Java's Long.parseLong accepts: an optional sign and decimal digits within 64 bits. */
function isJavaLong(text: string): boolean {
  if (!/^[+-]?\d{1,19}$/.test(text)) return false;
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** zkCli's create flags to a CreateMode, refusing the combinations it refuses, in its order. */
function createMode(a: ParsedArgs): { mode: CreateModeValue; ttl?: number } {
  const [e, s, c] = ['e', 's', 'c'].map((f) => a.flags.has(f));
  if (c && (e || s)) throw new CliError('-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.');
  const ttlText = a.values.get('t');
  if (ttlText === undefined) {
    if (e) return { mode: s ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.EPHEMERAL };
    return { mode: s ? CreateMode.PERSISTENT_SEQUENTIAL : c ? CreateMode.CONTAINER : CreateMode.PERSISTENT };
  }
  if (!isJavaLong(ttlText)) throw new CliError('-t argument must be a long value');
  if (e) throw new CliError('TTLs cannot be used with Ephemeral znodes');
  if (c) throw new CliError('TTLs cannot be used with Container znodes');
  const ttl = Number(ttlText);
  if (ttl <= 0 || ttl > MAX_TTL) throw new CliError(`ttl must be positive and cannot be larger than: ${MAX_TTL}`);
  return { mode: s ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL : CreateMode.PERSISTENT_WITH_TTL, ttl };
}

const create: Command = {
  name: 'create', usage: 'create [-s] [-e] [-c] [-t ttl] path [data] [acl]', options: { flags: 'sec', valued: 't' }, minArgs: 1,
  async run(ctx, a) {
    const { mode, ttl } = createMode(a);
    const path = arg(a, 0);
    const aclText = a.args[2];
    const acl = aclText === undefined ? [...Ids.OPEN_ACL_UNSAFE] : aclArgument(ctx, aclText);
    checkPath(path, a.flags.has('s'));
    if (!acl) {
      ctx.err('KeeperErrorCode = InvalidACL\n');
      throw new CliError('Acl is not valid : null');
    }
    const zk = await zkOf(ctx);
    try {
      const created = await zk.create(path, a.args[1] ?? null, { mode, acl, ...(ttl === undefined ? {} : { ttl }) });
      ctx.err(`Created ${created}\n`);
    } catch (err) {
      if (err instanceof KeeperError && err.code === Code.InvalidACL) ctx.err(`${err.message}\n`);
      throw err;
    }
  },
};

const del: Command = {
  name: 'delete', usage: 'delete [-v version] path', options: { flags: '', valued: 'v' }, minArgs: 1,
  async run(ctx, a) {
    const version = intOption(a, 'v', -1);
    const path = arg(a, 0);
    checkPath(path);
    const zk = await zkOf(ctx);
    await zk.delete(path, version);
  },
};

const deleteAll: Command = {
  name: 'deleteall', usage: 'deleteall path [-b batch size]', options: { flags: '', valued: 'b' }, minArgs: 1,
  async run(ctx, a) {
    const batch = intOption(a, 'b', 1000);
    const path = arg(a, 0);
    checkPath(path);
    const zk = await zkOf(ctx);
    // Deepest first, in multis of `batch` deletes (one multi when batch < 1), stopping at the first failure.
    const tree = (await listSubtree(zk, path)).reverse();
    const size = batch > 0 ? batch : tree.length;
    for (let i = 0; i < tree.length; i += size) {
      try {
        await zk.multi(tree.slice(i, i + size).map((p) => ({ type: 'delete' as const, path: p, version: -1 })));
      } catch (err) {
        if (!(err instanceof KeeperError)) throw err;
        throw new CliError('Failed to delete some node(s) in the subtree!');
      }
    }
  },
};

const sync: Command = {
  name: 'sync', usage: 'sync path', options: NO_OPTIONS, minArgs: 1,
  async run(ctx, a) {
    const path = arg(a, 0);
    checkPath(path);
    const zk = await zkOf(ctx);
    try {
      await zk.sync(path);
    } catch (err) {
      if (!(err instanceof KeeperError)) throw err;
      ctx.out(`Sync has failed. rc=${err.code}\n`);
      throw new CliError('');
    }
    ctx.out('Sync is OK\n');
  },
};

const getEphemerals: Command = {
  name: 'getEphemerals', usage: 'getEphemerals path', options: NO_OPTIONS, minArgs: 0,
  async run(ctx, a) {
    const path = a.args[0];
    if (path !== undefined) checkPath(path);
    const zk = await zkOf(ctx);
    const paths = await zk.getEphemerals(path);
    // Sorted, where zkCli prints the server's hash order.
    ctx.out(`${javaList(paths.sort())}\n`);
  },
};

const getAllChildrenNumber: Command = {
  name: 'getAllChildrenNumber', usage: 'getAllChildrenNumber path', options: NO_OPTIONS, minArgs: 1,
  async run(ctx, a) {
    const path = arg(a, 0);
    checkPath(path);
    const zk = await zkOf(ctx);
    ctx.out(`${await zk.getAllChildrenNumber(path)}\n`);
  },
};

export const NODE_COMMANDS: readonly Command[] = [
  ls, get, stat, set, create, del, deleteAll, sync, getEphemerals, getAllChildrenNumber,
];
