import type { CoordClient } from '@paddock/coord-client';
import { checkWeight } from '../instance-fields.js';
import { parseProviderUrl } from '../instance-url.js';
import { Layout } from '../layout.js';
import { formatOverrideUrl, parseOverrideUrl, type ParsedOverride } from '../override.js';
import { replaceOverride } from '../override-store.js';
import { CliError, usageError } from './cli-error.js';
import { JSON_FLAG, arg, flag, listing, type Command, type CommandArgs, type CommandContext } from './command.js';
import { asUsage, checkServiceArg, overrides, serviceNames, urls } from './service-nodes.js';
import { ANY_TARGET, covers, formatTarget, isTarget, parseTarget, type Target } from './target.js';

const WEIGHT_FLAG = { names: ['--weight'], key: 'weight', value: 'n', help: 'the weight consumers use (0..1000000)' };
const DISABLED_FLAG = { names: ['--disabled'], key: 'disabled', value: 'true|false', help: 'leave the instances out of consumers\' lists' };

/** Services scanned at once by offline/online without a service; bounds requests in flight. */
const SCAN_BATCH = 64;

function targetArg(a: CommandArgs, i: number, needPort: boolean): Target {
  const text = a.positional[i];
  return text === undefined ? ANY_TARGET : parseTarget(text, needPort);
}

/** The --weight and --disabled values, checked; at least one is needed. */
function ruleValues(a: CommandArgs): { weight?: number; disabled?: boolean } {
  const w = flag(a, 'weight');
  const d = flag(a, 'disabled');
  if (w === undefined && d === undefined) throw usageError('override set needs --weight n, --disabled true|false, or both');
  if (d !== undefined && d !== 'true' && d !== 'false') throw usageError(`--disabled takes true or false, got "${d}"`);
  const weight = w === undefined ? undefined : asUsage(() => checkWeight(/^\d{1,7}$/.test(w) ? Number(w) : w));
  return { ...(weight === undefined ? {} : { weight }), ...(d === undefined ? {} : { disabled: d === 'true' }) };
}

/** The rule's URL for a target, as the registry's setOverride writes it. */
function ruleUrl(service: string, t: Target, values: { weight?: number; disabled?: boolean }): string {
  return formatOverrideUrl(service, { ...(t.host === null ? {} : { host: t.host }), ...(t.port === null ? {} : { port: t.port }), ...values });
}

async function rulesOf(zk: CoordClient, layout: Layout, service: string): Promise<ParsedOverride[]> {
  return overrides(await urls(zk, layout, service, 'configurators'));
}

type OverrideRow =
  | { readonly url: string; readonly valid: true; readonly host: string | null; readonly port: number | null; readonly weight?: number; readonly disabled?: boolean }
  | { readonly url: string; readonly valid: false; readonly error: string };

function overrideLine(r: OverrideRow): string {
  if (!r.valid) return `${r.url}  (invalid: ${r.error})\n`;
  const values = [r.weight === undefined ? '' : ` weight=${r.weight}`, r.disabled === undefined ? '' : ` disabled=${r.disabled}`].join('');
  return `${r.url}  target=${formatTarget(r)}${values}\n`;
}

const LIST: Command = {
  words: ['override', 'list'],
  args: ['<service>'],
  flags: [JSON_FLAG],
  summary: 'a service\'s configurator overrides, in the order they apply (the more specific later)',
  details: '--json: [{"url","valid":true,"host","port","weight"?,"disabled"?} | {"url","valid":false,"error"}, ...];\n'
    + 'host and port are null where the rule is for any.',
  check: checkServiceArg,
  async run(ctx, a) {
    const all = await urls(await ctx.client(), new Layout(ctx.root), arg(a, 0), 'configurators');
    const rows: OverrideRow[] = [];
    for (const url of all) {
      try {
        parseOverrideUrl(url);
      } catch (err) {
        rows.push({ url, valid: false, error: (err as Error).message });
      }
    }
    for (const o of overrides(all)) {
      rows.push({ url: o.url, valid: true, host: o.host, port: o.port, ...(o.weight === undefined ? {} : { weight: o.weight }), ...(o.disabled === undefined ? {} : { disabled: o.disabled }) });
    }
    listing(ctx, a, rows, overrideLine);
  },
};

const SET: Command = {
  words: ['override', 'set'],
  args: ['<service>', '[host[:port]]'],
  flags: [WEIGHT_FLAG, DISABLED_FLAG],
  summary: 'write the override for a target (default: every instance), replacing the target\'s old one; prints its URL',
  check: (a) => {
    checkServiceArg(a);
    targetArg(a, 1, false);
    ruleValues(a);
  },
  async run(ctx, a) {
    const service = arg(a, 0);
    const target = targetArg(a, 1, false);
    const url = ruleUrl(service, target, ruleValues(a));
    await replaceOverride(await ctx.client(), new Layout(ctx.root), service, target.host, target.port, url);
    ctx.out(`${url}\n`);
  },
};

const CLEAR: Command = {
  words: ['override', 'clear'],
  args: ['<service>', '[host[:port]]'],
  summary: 'remove the override for a target (default: the every-instance one); done when there is none',
  check: (a) => {
    checkServiceArg(a);
    targetArg(a, 1, false);
  },
  async run(ctx, a) {
    const target = targetArg(a, 1, false);
    await replaceOverride(await ctx.client(), new Layout(ctx.root), arg(a, 0), target.host, target.port, null);
  },
};

/** Services with a provider at `at`, or (for online) a rule for exactly `at`. */
async function servicesAt(ctx: CommandContext, at: Target, withRules: boolean): Promise<string[]> {
  const zk = await ctx.client();
  const layout = new Layout(ctx.root);
  const names = await serviceNames(zk, ctx.root);
  const found: string[] = [];
  for (let i = 0; i < names.length; i += SCAN_BATCH) {
    const batch = names.slice(i, i + SCAN_BATCH);
    const hits = await Promise.all(batch.map(async (service) => {
      const providers = await urls(zk, layout, service, 'providers').catch(() => []);
      if (providers.some((url) => providerAt(url, at))) return true;
      return withRules && (await rulesOf(zk, layout, service).catch(() => [])).some((o) => isTarget(o, at));
    }));
    batch.forEach((s, j) => { if (hits[j]) found.push(s); });
  }
  if (found.length === 0) throw new CliError(`no provider at ${formatTarget(at)} under ${ctx.root}`);
  return found;
}

function providerAt(url: string, at: Target): boolean {
  try {
    const p = parseProviderUrl(url);
    return p.host === at.host && p.port === at.port;
  } catch {
    return false;
  }
}

/**
 * offline/online: the configurator override `disabled` for one address, which consumers apply
 * within one watch event; the provider keeps its registration and serves direct calls. Works on
 * any provider of any process, without reaching it (docs/registry-cli.md says why).
 */
function addressCommand(word: 'offline' | 'online', summary: string, write: (rules: ParsedOverride[], at: Target) => { weight?: number; disabled?: boolean } | null): Command {
  return {
    words: [word],
    args: ['<host:port>', '[service]'],
    summary,
    check: (a) => {
      targetArg(a, 0, true);
      if (a.positional[1] !== undefined) checkServiceArg({ ...a, positional: a.positional.slice(1) });
    },
    async run(ctx, a) {
      const at = targetArg(a, 0, true);
      const zk = await ctx.client();
      const layout = new Layout(ctx.root);
      const named = a.positional[1];
      const services = named === undefined ? await servicesAt(ctx, at, word === 'online') : [named];
      for (const service of services) {
        const values = write(await rulesOf(zk, layout, service), at);
        const url = values === null ? null : ruleUrl(service, at, values);
        await replaceOverride(zk, layout, service, at.host, at.port, url);
        ctx.out(`${service} ${word} at ${formatTarget(at)}: ${url ?? 'override removed'}\n`);
      }
    },
  };
}

/** The address's own rule, kept for its weight. */
function ownWeight(rules: ParsedOverride[], at: Target): { weight?: number } {
  const w = rules.find((o) => isTarget(o, at))?.weight;
  return w === undefined ? {} : { weight: w };
}

const OFFLINE = addressCommand('offline', 'take the provider at host:port out of consumers\' lists (every service it provides, or one)',
  (rules, at) => ({ ...ownWeight(rules, at), disabled: true }));

const ONLINE = addressCommand('online', 'put it back: drop its disabled override (keeping a weight); enables it explicitly if a wider rule disables it',
  (rules, at) => {
    const wider = rules.filter((o) => !isTarget(o, at) && covers(o, at) && o.disabled !== undefined);
    // Rules come in the order they apply: the last wider one decides.
    const stillDisabled = wider[wider.length - 1]?.disabled === true;
    const own = ownWeight(rules, at);
    if (stillDisabled) return { ...own, disabled: false };
    return own.weight === undefined ? null : own;
  });

export const OVERRIDE_COMMANDS: readonly Command[] = [LIST, SET, CLEAR, OFFLINE, ONLINE];
