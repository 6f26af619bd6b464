import { Code, type CoordClient } from '@paddock/coord-client';
import { checkService } from '../instance-fields.js';
import { fromNodeName, parseProviderUrl, parseUrl, type Provider } from '../instance-url.js';
import { Layout, type Category } from '../layout.js';
import { hasCode } from '../outage.js';
import { applyOverrides, parseOverrideUrl, sortOverrides, type ParsedOverride } from '../override.js';
import { CliError, usageError } from './cli-error.js';
import { arg, type Command, type CommandArgs } from './command.js';

function checkServiceArg(a: CommandArgs): void {
  try {
    checkService(arg(a, 0));
  } catch (err) {
    throw usageError((err as Error).message);
  }
}

/** The decoded URLs under a service's category, sorted; a missing service is an error, a missing category is empty. */
async function urls(zk: CoordClient, layout: Layout, service: string, category: Category): Promise<string[]> {
  try {
    return (await zk.getChildren(layout.category(service, category))).map(decodeName).sort();
  } catch (err) {
    if (!hasCode(err, Code.NoNode)) throw err;
  }
  if (await zk.exists(layout.service(service))) return [];
  throw new CliError(`no service "${service}" under ${layout.root}`);
}

/** A child name as its URL; a name that does not decode is shown as it is. */
function decodeName(name: string): string {
  try {
    return fromNodeName(name);
  } catch {
    return name;
  }
}

/** The rules that parse, in the order they apply; consumers skip the others too. */
function overrides(list: readonly string[]): ParsedOverride[] {
  const parsed: ParsedOverride[] = [];
  for (const url of list) {
    try {
      parsed.push(parseOverrideUrl(url));
    } catch {
      // A bad rule changes nothing for consumers, so it changes nothing here.
    }
  }
  return sortOverrides(parsed);
}

/** One provider line: URL, then version, group and the weight consumers use (with why it differs). */
function providerLine(p: Provider, seen: Provider | undefined): string {
  const weight = seen === undefined ? `weight=${p.weight} disabled` : seen.weight === p.weight
    ? `weight=${p.weight}` : `weight=${seen.weight} (override; URL has ${p.weight})`;
  return `${p.url}  version=${p.version} group=${p.group} ${weight}\n`;
}

const SERVICES: Command = {
  words: ['services'],
  args: [],
  summary: 'the services registered, one per line',
  async run(ctx) {
    const zk = await ctx.client();
    try {
      for (const s of (await zk.getChildren(ctx.root)).sort()) ctx.out(`${s}\n`);
    } catch (err) {
      if (!hasCode(err, Code.NoNode)) throw err;
    }
  },
};

const PROVIDERS: Command = {
  words: ['providers'],
  args: ['<service>'],
  summary: 'live providers of a service: URL, version, group, weight (after configurator overrides)',
  check: checkServiceArg,
  async run(ctx, a) {
    const zk = await ctx.client();
    const layout = new Layout(ctx.root);
    const service = arg(a, 0);
    const [providerUrls, overrideUrls] = await Promise.all([
      urls(zk, layout, service, 'providers'),
      urls(zk, layout, service, 'configurators'),
    ]);
    const parsed: Provider[] = [];
    for (const url of providerUrls) {
      try {
        parsed.push(parseProviderUrl(url));
      } catch (err) {
        ctx.out(`${url}  (invalid: ${(err as Error).message})\n`);
      }
    }
    const effective = new Map(applyOverrides(parsed, overrides(overrideUrls)).map((p) => [p.url, p]));
    for (const p of parsed) ctx.out(providerLine(p, effective.get(p.url)));
  },
};

const CONSUMERS: Command = {
  words: ['consumers'],
  args: ['<service>'],
  summary: 'consumers of a service: URL, the version and group they ask for',
  check: checkServiceArg,
  async run(ctx, a) {
    const zk = await ctx.client();
    for (const url of await urls(zk, new Layout(ctx.root), arg(a, 0), 'consumers')) {
      try {
        const q = parseUrl(url).params;
        ctx.out(`${url}  version=${q.get('version') ?? '*'} group=${q.get('group') ?? 'default'}\n`);
      } catch (err) {
        ctx.out(`${url}  (invalid: ${(err as Error).message})\n`);
      }
    }
  },
};

export const SERVICE_COMMANDS: readonly Command[] = [SERVICES, PROVIDERS, CONSUMERS];
