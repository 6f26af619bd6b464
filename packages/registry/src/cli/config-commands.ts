import { ConfigCenter } from '../config/config-center.js';
import { checkKey, checkNamespace } from '../config/config-names.js';
import { ConfigValueError, type JsonValue } from '../config/config-value.js';
import type { ConfigUpdate } from '../config/config-update.js';
import { CliError, usageError } from './cli-error.js';
import { JSON_FLAG, arg, listing, type Command, type CommandArgs, type CommandContext } from './command.js';
import { asUsage } from './service-nodes.js';

const STRING_FLAG = { names: ['--string'], key: 'string', help: 'store the value as a JSON string' };

async function center(ctx: CommandContext): Promise<ConfigCenter> {
  return new ConfigCenter(await ctx.client());
}

/** The value argument as JSON, or as a string with --string. */
function parseValue(a: CommandArgs): JsonValue {
  const text = arg(a, 2);
  if (a.flags.has('string')) return text;
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
  check: (a) => asUsage(() => checkKey(arg(a, 0), arg(a, 1))),
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
  flags: [STRING_FLAG],
  summary: 'write a key (creating its namespace); --string stores the value as a JSON string',
  check: (a) => {
    asUsage(() => checkKey(arg(a, 0), arg(a, 1)));
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
  check: (a) => asUsage(() => checkKey(arg(a, 0), arg(a, 1))),
  async run(ctx, a) {
    const [ns, key] = [arg(a, 0), arg(a, 1)];
    if (!(await (await center(ctx)).delete(ns, key))) throw new CliError(`config ${ns}/${key} does not exist`);
  },
};

type KeyRow = { readonly key: string; readonly value: JsonValue } | { readonly key: string; readonly error: string };

const LIST: Command = {
  words: ['config', 'list'],
  args: ['[namespace]'],
  flags: [JSON_FLAG],
  summary: 'a namespace\'s keys with their values (key=JSON), or every namespace without one',
  details: '--json: [{"namespace"}, ...] without a namespace; with one [{"key","value"} | {"key","error"}, ...], sorted.',
  check: (a) => {
    if (a.positional.length > 0) asUsage(() => checkNamespace(arg(a, 0)));
  },
  async run(ctx, a) {
    const cfg = await center(ctx);
    if (a.positional.length === 0) {
      listing(ctx, a, (await cfg.namespaces()).map((namespace) => ({ namespace })), (r) => `${r.namespace}\n`);
      return;
    }
    const ns = arg(a, 0);
    const keys = await cfg.list(ns);
    const rows = await Promise.all(keys.map((key) => cfg.get(ns, key).then(
      (value): KeyRow => (value === undefined ? { key, error: 'deleted meanwhile' } : { key, value }),
      (err: unknown): KeyRow => {
        if (err instanceof ConfigValueError) return { key, error: `invalid: ${err.message}` };
        throw err;
      },
    )));
    listing(ctx, a, rows, (r) => `${r.key}=${'value' in r ? JSON.stringify(r.value) : `(${r.error})`}\n`);
  },
};

/** One line per change: `ns/key=JSON`, `ns/key (missing)`, or why it cannot be read. */
function updateLine(u: ConfigUpdate): string {
  const where = `${u.namespace}/${u.key}`;
  switch (u.kind) {
    case 'value': return `${where}=${JSON.stringify(u.value)}\n`;
    case 'missing': return `${where} (missing)\n`;
    default: return `${where} (${u.kind}: ${u.error.message})\n`;
  }
}

/** `config watch --json`: one object per line, `error` in place of `value` for invalid and failed. */
function updateJson(u: ConfigUpdate): string {
  const { namespace, key, kind } = u;
  const rest = u.kind === 'value' ? { value: u.value, version: u.version } : u.kind === 'missing' ? {} : { error: u.error.message };
  return `${JSON.stringify({ namespace, key, kind, ...rest })}\n`;
}

const WATCH: Command = {
  words: ['config', 'watch'],
  untilStopped: true,
  args: ['<namespace>', '<key>'],
  flags: [JSON_FLAG],
  summary: 'print the key\'s value, then every change, until Ctrl-C (exit 0)',
  details: 'Lines: ns/key=JSON, ns/key (missing), ns/key (invalid: why), ns/key (failed: why).\n'
    + '--json: one object per line, {"namespace","key","kind":"value"|"missing"|"invalid"|"failed","value"?,"version"?,"error"?}.',
  check: (a) => asUsage(() => checkKey(arg(a, 0), arg(a, 1))),
  async run(ctx, a) {
    if (ctx.stop.aborted) return;
    const cfg = await center(ctx);
    const line = a.flags.has('json') ? updateJson : updateLine;
    const watch = await cfg.watch(arg(a, 0), arg(a, 1), (u) => ctx.out(line(u)));
    try {
      await new Promise<void>((resolve, reject) => {
        // The raw session does not come back after an expiry: say so rather than go quiet.
        cfg.once('expired', () => reject(new CliError('the session expired; the watch stopped')));
        if (ctx.stop.aborted) resolve();
        else ctx.stop.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      watch.close();
      await cfg.close();
    }
  },
};

export const CONFIG_COMMANDS: readonly Command[] = [GET, SET, DELETE, LIST, WATCH];
