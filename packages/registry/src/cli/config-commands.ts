import { ConfigCenter } from '../config/config-center.js';
import { checkKey, checkNamespace } from '../config/config-names.js';
import { ConfigValueError, type JsonValue } from '../config/config-value.js';
import { CliError, usageError } from './cli-error.js';
import { arg, type Command, type CommandArgs, type CommandContext } from './command.js';

async function center(ctx: CommandContext): Promise<ConfigCenter> {
  return new ConfigCenter(await ctx.client());
}

/** Name errors are the user's: a usage error (exit 2) naming the namespace or key. */
function names(check: () => void): void {
  try {
    check();
  } catch (err) {
    throw usageError((err as Error).message);
  }
}

/** The value argument as JSON, or as a string with --string. */
function parseValue(a: CommandArgs): JsonValue {
  const text = arg(a, 2);
  if (a.flags.has('--string')) return text;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw usageError(`value ${JSON.stringify(text)} is not JSON; quote a string ('"${text}"') or pass --string`);
  }
}

const GET: Command = {
  words: ['config', 'get'],
  args: ['<namespace>', '<key>'],
  summary: 'print a key\'s value as JSON',
  check: (a) => names(() => checkKey(arg(a, 0), arg(a, 1))),
  async run(ctx, a) {
    const [ns, key] = [arg(a, 0), arg(a, 1)];
    const value = await (await center(ctx)).get(ns, key);
    if (value === undefined) throw new CliError(`config ${ns}/${key} does not exist`);
    ctx.out(`${JSON.stringify(value)}\n`);
  },
};

const SET: Command = {
  words: ['config', 'set'],
  args: ['<namespace>', '<key>', '<json-value>'],
  flags: ['--string'],
  summary: 'write a key (creating its namespace); --string stores the value as a JSON string',
  check: (a) => {
    names(() => checkKey(arg(a, 0), arg(a, 1)));
    parseValue(a);
  },
  async run(ctx, a) {
    await (await center(ctx)).set(arg(a, 0), arg(a, 1), parseValue(a));
  },
};

const DELETE: Command = {
  words: ['config', 'delete'],
  args: ['<namespace>', '<key>'],
  summary: 'remove a key',
  check: (a) => names(() => checkKey(arg(a, 0), arg(a, 1))),
  async run(ctx, a) {
    const [ns, key] = [arg(a, 0), arg(a, 1)];
    if (!(await (await center(ctx)).delete(ns, key))) throw new CliError(`config ${ns}/${key} does not exist`);
  },
};

const LIST: Command = {
  words: ['config', 'list'],
  args: ['[namespace]'],
  summary: 'a namespace\'s keys with their values (key=JSON), or every namespace without one',
  check: (a) => {
    if (a.positional.length > 0) names(() => checkNamespace(arg(a, 0)));
  },
  async run(ctx, a) {
    const cfg = await center(ctx);
    if (a.positional.length === 0) {
      for (const ns of await cfg.namespaces()) ctx.out(`${ns}\n`);
      return;
    }
    const ns = arg(a, 0);
    const keys = await cfg.list(ns);
    const values = await Promise.all(keys.map((k) => cfg.get(ns, k).then(
      (v) => (v === undefined ? '(deleted meanwhile)' : JSON.stringify(v)),
      (err: unknown) => {
        if (err instanceof ConfigValueError) return `(invalid: ${err.message})`;
        throw err;
      },
    )));
    keys.forEach((k, i) => ctx.out(`${k}=${values[i]}\n`));
  },
};

export const CONFIG_COMMANDS: readonly Command[] = [GET, SET, DELETE, LIST];
