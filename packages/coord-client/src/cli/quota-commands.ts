import {
  QUOTA_LIMIT_NODE, QUOTA_ROOT, StatsTrack, quotaLimitPath, quotaPath, quotaStatPath, type QuotaKey,
} from '@paddock/coord-protocol';
import { Code, KeeperError, type CoordClient } from '../index.js';
import { CliError } from './cli-error.js';
import type { ParsedArgs } from './command-options.js';
import { arg, zkOf, type Command, type CommandContext } from './command.js';
import { checkPath } from './path-check.js';
import { visitSubtree } from './subtree.js';

/**
 * setquota, listquota, delquota: zkCli's quota commands. They are client-side edits of
 * /zookeeper/quota<path>/zookeeper_limits (and the stats node beside it, which the server keeps
 * current); the server enforces the limits when it runs with enforceQuota.
 */

/** The option letters of the group, the StatsTrack key each sets, and how zkCli reads its value. */
const QUOTA_OPTIONS: readonly { letter: string; key: QuotaKey; count: boolean }[] = [
  { letter: 'n', key: 'count', count: true },
  { letter: 'b', key: 'bytes', count: false },
  { letter: 'N', key: 'countHardLimit', count: true },
  { letter: 'B', key: 'byteHardLimit', count: false },
];
const GROUP_HELP = '[-n num soft quota, -b bytes soft quota, -N num hard quota, -B bytes hard quota]';
const CLI_EXCEPTION = 'org.apache.commons.cli.';

/** commons-cli's one-of-a-group rule: a second option of the group is refused, naming the first. */
function onlyOne(given: readonly string[], required: boolean): void {
  if (given.length === 0 && required) throw new CliError(`${CLI_EXCEPTION}MissingOptionException: Missing required option: ${GROUP_HELP}`);
  const second = given.find((l) => l !== given[0]);
  if (second !== undefined) {
    throw new CliError(`${CLI_EXCEPTION}AlreadySelectedException: The option '${second}' was specified but an option from this group has already been selected: '${given[0]}'`);
  }
}

/** Java's Integer.parseInt / Long.parseLong: an optional sign and decimal digits within range. */
function javaInteger(text: string, bits: 32 | 64): number | null {
  if (!/^[+-]?\d{1,19}$/.test(text)) return null;
  const n = BigInt(text);
  const max = bits === 32 ? 2n ** 31n : 2n ** 63n;
  return n >= -max && n < max ? Number(n) : null;
}

/** The limits the options ask for (-1 for the rest), or the message zkCli prints instead. */
function requestedLimits(a: ParsedArgs): StatsTrack | string {
  const quota = new StatsTrack().set('count', -1).set('bytes', -1).set('countHardLimit', -1).set('byteHardLimit', -1);
  for (const { letter, key, count } of QUOTA_OPTIONS) {
    const text = a.values.get(letter);
    if (text === undefined) continue;
    const n = javaInteger(text, count ? 32 : 64);
    if (n === null) return 'NumberFormatException happens when parsing the option value';
    if (count ? n <= 0 : n < 0) return count ? 'the num quota must be greater than zero' : 'the bytes quota must be greater than or equal to zero';
    quota.set(key, n);
  }
  return quota;
}

async function existsOrNull(zk: CoordClient, path: string): Promise<boolean> {
  return (await zk.exists(path)) !== null;
}

async function createIfMissing(zk: CoordClient, path: string, data: string | null = null): Promise<void> {
  if (await existsOrNull(zk, path)) return;
  try {
    await zk.create(path, data);
  } catch (err) {
    if (!(err instanceof KeeperError && err.code === Code.NodeExists)) throw err;
  }
}

/** The children of `path`, or null when it is gone (the quota folders may change meanwhile). */
async function childrenOrNull(zk: CoordClient, path: string): Promise<string[] | null> {
  try {
    return await zk.getChildren(path);
  } catch (err) {
    if (err instanceof KeeperError && err.code === Code.NoNode) return null;
    throw err;
  }
}

/** A quota below `path` (zkCli's checkIfChildQuota walks the quota subtree depth first). */
async function refuseChildQuota(zk: CoordClient, path: string): Promise<void> {
  const own = quotaPath(path);
  try {
    await visitSubtree(zk, own, undefined, async (p) => {
      if (p === own) return;
      const children = await childrenOrNull(zk, p);
      if (children?.includes(QUOTA_LIMIT_NODE)) throw new CliError(`${path} has a child ${p.slice(QUOTA_ROOT.length)} which has a quota`);
    });
  } catch (err) {
    if (!(err instanceof KeeperError && err.code === Code.NoNode)) throw err;
  }
}

/** A quota above `path` (zkCli's checkIfParentQuota, which stops at the first missing or empty level). */
async function refuseParentQuota(zk: CoordClient, path: string): Promise<void> {
  const parts = path.split('/');
  let at = QUOTA_ROOT;
  for (let i = 1; i < parts.length - 1; i++) {
    at = `${at}/${parts[i]}`;
    const children = await childrenOrNull(zk, at);
    if (children === null || children.length === 0) return;
    if (children.includes(QUOTA_LIMIT_NODE)) throw new CliError(`${path} has a parent ${at.slice(QUOTA_ROOT.length)} which has a quota`);
  }
}

/** zkCli's warning (on stdout) when a new limit is already below what the subtree holds. */
function warnBelowCurrent(ctx: CommandContext, limits: StatsTrack, stats: StatsTrack): void {
  const below = (soft: QuotaKey, hard: QuotaKey, current: number): boolean =>
    (limits.get(soft) > -1 && limits.get(soft) < current) || (limits.get(hard) > -1 && limits.get(hard) < current);
  if (below('count', 'countHardLimit', stats.get('count'))) {
    ctx.out(`[Warning]: the count quota you create is less than the existing count:${stats.get('count')}\n`);
  }
  if (below('bytes', 'byteHardLimit', stats.get('bytes'))) {
    ctx.out(`[Warning]: the bytes quota you create is less than the existing bytes:${stats.get('bytes')}\n`);
  }
}

async function readTrack(zk: CoordClient, path: string): Promise<StatsTrack> {
  const { data, nullData } = await zk.getData(path);
  return StatsTrack.parse(nullData ? null : data);
}

/** zkCli's createQuota: the quota folders, then new limits, or the given keys changed in the old ones. */
async function createQuota(ctx: CommandContext, zk: CoordClient, path: string, quota: StatsTrack): Promise<void> {
  if (!(await existsOrNull(zk, path))) throw new CliError(`${path} does not exist.`);
  await refuseChildQuota(zk, path);
  await refuseParentQuota(zk, path);
  await createIfMissing(zk, '/zookeeper');
  await createIfMissing(zk, QUOTA_ROOT);
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) await createIfMissing(zk, quotaPath(parts.slice(0, i + 1).join('/')));
  const limitPath = quotaLimitPath(path);
  const statPath = quotaStatPath(path);
  if (!(await existsOrNull(zk, limitPath))) {
    await zk.create(limitPath, quota.toString());
    await zk.create(statPath, new StatsTrack().set('count', 0).set('bytes', 0).toString());
    warnBelowCurrent(ctx, await readTrack(zk, limitPath), await readTrack(zk, statPath));
    return;
  }
  const limits = await readTrack(zk, limitPath);
  for (const { key } of QUOTA_OPTIONS) if (quota.get(key) > -1) limits.set(key, quota.get(key));
  warnBelowCurrent(ctx, limits, await readTrack(zk, statPath));
  await zk.setData(limitPath, limits.toString());
}

const given = (a: ParsedArgs): string[] => [...a.values.keys(), ...a.flags];

const setquota: Command = {
  name: 'setquota', usage: 'setquota -n|-b|-N|-B val path', options: { flags: '', valued: 'nbNB' }, minArgs: 1,
  javaParseErrors: true,
  validate: (a) => onlyOne(given(a), true),
  async run(ctx, a) {
    const path = arg(a, 0);
    // zkCli's refusals that end the command without failing it (exit code 0), on stderr.
    if (path.startsWith(QUOTA_ROOT)) return ctx.err(`cannot set a quota under the path: ${QUOTA_ROOT}\n`);
    const quota = requestedLimits(a);
    if (typeof quota === 'string') return ctx.err(`${quota}\n`);
    checkPath(path);
    await createQuota(ctx, await zkOf(ctx), path, quota);
  },
};

const listquota: Command = {
  name: 'listquota', usage: 'listquota path', options: { flags: '', valued: '' }, minArgs: 1, javaParseErrors: true,
  async run(ctx, a) {
    const path = arg(a, 0);
    const zk = await zkOf(ctx);
    ctx.err(`absolute path is ${quotaLimitPath(path)}\n`);
    let limits: StatsTrack;
    let stats: StatsTrack;
    try {
      limits = await readTrack(zk, quotaLimitPath(path));
      stats = await readTrack(zk, quotaStatPath(path));
    } catch (err) {
      if (err instanceof KeeperError && err.code === Code.NoNode) return ctx.err(`quota for ${path} does not exist.\n`);
      throw err;
    }
    ctx.out(`Output quota for ${path} ${limits.toString()}\nOutput stat for ${path} ${stats.toString()}\n`);
  },
};

/** Deletes empty quota folders upward from `at`, up to /zookeeper/quota (zkCli's trimProcQuotas). */
async function trimQuotaFolders(zk: CoordClient, at: string): Promise<void> {
  for (let p = at; p !== QUOTA_ROOT && p.startsWith(QUOTA_ROOT); p = p.slice(0, p.lastIndexOf('/'))) {
    if ((await zk.getChildren(p)).length > 0) return;
    await zk.delete(p);
  }
}

const delquota: Command = {
  name: 'delquota', usage: 'delquota [-n|-b|-N|-B] path', options: { flags: 'nbNB', valued: '' }, minArgs: 1,
  javaParseErrors: true,
  validate: (a) => onlyOne(given(a), false),
  async run(ctx, a) {
    const path = arg(a, 0);
    const zk = await zkOf(ctx);
    const limitPath = quotaLimitPath(path);
    try {
      if (!(await existsOrNull(zk, limitPath))) return ctx.out(`Quota does not exist for ${path}\n`);
      const limits = await readTrack(zk, limitPath);
      if (a.flags.size === 0) {
        const folder = quotaPath(path);
        for (const child of await zk.getChildren(folder)) await zk.delete(`${folder}/${child}`);
        await trimQuotaFolders(zk, folder);
        return undefined;
      }
      for (const { letter, key } of QUOTA_OPTIONS) if (a.flags.has(letter)) limits.set(key, -1);
      await zk.setData(limitPath, limits.toString());
    } catch (err) {
      if (err instanceof KeeperError && err.code === Code.NoNode) return ctx.err(`quota for ${path} does not exist.\n`);
      throw err;
    }
    return undefined;
  },
};

export const QUOTA_COMMANDS: readonly Command[] = [setquota, listquota, delquota];
