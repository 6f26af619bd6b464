import { Code, KeeperError, type ACL } from '../index.js';
import { formatAclEntry, parseAcl } from './acl-string.js';
import { CliError } from './cli-error.js';
import { intOption } from './command-options.js';
import { NO_OPTIONS, arg, zkOf, type Command, type CommandContext } from './command.js';
import { formatStat } from './format.js';
import { checkPath } from './path-check.js';
import { visitSubtree } from './subtree.js';

/** ACLs and identities: getAcl, setAcl, addauth, whoami. */

/**
 * Parses an ACL argument, printing each problem as zkCli does. zkCli then goes ahead with
 * whatever entries survived (dropping unknown perm letters); we refuse the command instead.
 */
export function aclArgument(ctx: CommandContext, text: string): ACL[] | null {
  const { acl, problems } = parseAcl(text);
  for (const p of problems) ctx.err(`${p}\n`);
  return problems.length > 0 || acl.length === 0 ? null : acl;
}

const getAcl: Command = {
  name: 'getAcl', usage: 'getAcl [-s] path', options: { flags: 's', valued: '' }, minArgs: 1,
  async run(ctx, a) {
    const path = arg(a, 0);
    checkPath(path);
    const zk = await zkOf(ctx);
    const { acl, stat } = await zk.getACL(path);
    ctx.out(acl.map(formatAclEntry).join('') + (a.flags.has('s') ? formatStat(stat) : ''));
  },
};

const setAcl: Command = {
  name: 'setAcl', usage: 'setAcl [-s] [-v version] [-R] path acl', options: { flags: 'sR', valued: 'v' }, minArgs: 2,
  async run(ctx, a) {
    const path = arg(a, 0);
    const acl = aclArgument(ctx, arg(a, 1));
    const version = intOption(a, 'v', -1);
    checkPath(path);
    if (!acl) throw new CliError('Acl is not valid : null');
    const zk = await zkOf(ctx);
    if (!a.flags.has('R')) {
      const stat = await zk.setACL(path, acl, version);
      if (a.flags.has('s')) ctx.out(formatStat(stat));
      return;
    }
    // zkCli reports a node it could not change without a line break and goes on with the rest.
    await visitSubtree(zk, path, undefined, async (p) => {
      try {
        await zk.setACL(p, acl, version);
      } catch (err) {
        if (!(err instanceof KeeperError)) throw err;
        ctx.out(err.message);
      }
    });
  },
};

const addauth: Command = {
  name: 'addauth', usage: 'addauth scheme auth', options: NO_OPTIONS, minArgs: 1,
  async run(ctx, a) {
    const zk = await zkOf(ctx);
    try {
      await zk.addAuth(arg(a, 0), a.args[1] ?? '');
    } catch (err) {
      // The session is gone; the AuthFailed event already said so, as all zkCli prints.
      if (err instanceof KeeperError && err.code === Code.AuthFailed) throw new CliError('');
      throw err;
    }
  },
};

const whoami: Command = {
  name: 'whoami', usage: 'whoami ', options: NO_OPTIONS, minArgs: 0,
  async run(ctx) {
    const zk = await zkOf(ctx);
    const infos = await zk.whoAmI();
    ctx.out(['Auth scheme: User', ...infos.map((i) => `${i.authScheme}: ${i.user}`)].join('\n') + '\n');
  },
};

export const ACL_COMMANDS: readonly Command[] = [getAcl, setAcl, addauth, whoami];
