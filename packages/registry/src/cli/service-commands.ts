import { parseProviderUrl, parseUrl, type Provider } from '../instance-url.js';
import { Layout } from '../layout.js';
import { applyOverrides } from '../override.js';
import { JSON_FLAG, arg, listing, type Command } from './command.js';
import { checkServiceArg, overrides, serviceNames, urls } from './service-nodes.js';

/** A child whose URL does not parse: shown, never dropped, so an operator sees it. */
interface InvalidRow {
  readonly url: string;
  readonly valid: false;
  readonly error: string;
}

/** `providers --json`: the provider as consumers see it (see docs/registry-cli.md). */
type ProviderRow = InvalidRow | (Provider & {
  readonly valid: true;
  /** The weight in the provider's own URL; `weight` is the one consumers use, after overrides. */
  readonly registeredWeight: number;
  /** Left out of consumers' lists by a configurator override. */
  readonly disabled: boolean;
});

interface ConsumerRow {
  readonly url: string;
  readonly valid: true;
  readonly host: string;
  readonly version: string;
  readonly group: string;
}

function invalid(url: string, err: unknown): InvalidRow {
  return { url, valid: false, error: (err as Error).message };
}

/** The weight consumers use, and why it differs from the URL's. */
function providerLine(r: ProviderRow): string {
  if (!r.valid) return `${r.url}  (invalid: ${r.error})\n`;
  const weight = r.disabled ? `weight=${r.weight} disabled` : r.weight === r.registeredWeight
    ? `weight=${r.weight}` : `weight=${r.weight} (override; URL has ${r.registeredWeight})`;
  return `${r.url}  version=${r.version} group=${r.group} ${weight}\n`;
}

const SERVICES: Command = {
  words: ['services'],
  args: [],
  flags: [JSON_FLAG],
  summary: 'the services registered, one per line',
  details: '--json: [{"service":"Greeter"}, ...], sorted by name.',
  async run(ctx, a) {
    const names = await serviceNames(await ctx.client(), ctx.root);
    listing(ctx, a, names.map((service) => ({ service })), (r) => `${r.service}\n`);
  },
};

const PROVIDERS: Command = {
  words: ['providers'],
  args: ['<service>'],
  flags: [JSON_FLAG],
  summary: 'live providers of a service: URL, version, group, weight (after configurator overrides)',
  details: '--json: [{"url","valid":true,"service","protocol","host","port","address","version","group","weight",'
    + '"registeredWeight","disabled","methods","params","pid"?,"timestamp"?} | {"url","valid":false,"error"}, ...], sorted by URL.',
  check: checkServiceArg,
  async run(ctx, a) {
    const zk = await ctx.client();
    const layout = new Layout(ctx.root);
    const service = arg(a, 0);
    const [providerUrls, overrideUrls] = await Promise.all([
      urls(zk, layout, service, 'providers'),
      urls(zk, layout, service, 'configurators'),
    ]);
    const parsed = providerUrls.map((url): Provider | InvalidRow => {
      try {
        return parseProviderUrl(url);
      } catch (err) {
        return invalid(url, err);
      }
    });
    const valid = parsed.filter((p): p is Provider => !('valid' in p));
    const effective = new Map(applyOverrides(valid, overrides(overrideUrls)).map((p) => [p.url, p]));
    const rows = parsed.map((p): ProviderRow => {
      if ('valid' in p) return p;
      const seen = effective.get(p.url);
      return { ...p, valid: true, weight: seen?.weight ?? p.weight, registeredWeight: p.weight, disabled: seen === undefined };
    });
    listing(ctx, a, rows, providerLine);
  },
};

const CONSUMERS: Command = {
  words: ['consumers'],
  args: ['<service>'],
  flags: [JSON_FLAG],
  summary: 'consumers of a service: URL, the version and group they ask for',
  details: '--json: [{"url","valid":true,"host","version","group"} | {"url","valid":false,"error"}, ...], sorted by URL.',
  check: checkServiceArg,
  async run(ctx, a) {
    const list = await urls(await ctx.client(), new Layout(ctx.root), arg(a, 0), 'consumers');
    const rows = list.map((url): ConsumerRow | InvalidRow => {
      try {
        const { host, params } = parseUrl(url);
        return { url, valid: true, host, version: params.get('version') ?? '*', group: params.get('group') ?? 'default' };
      } catch (err) {
        return invalid(url, err);
      }
    });
    listing(ctx, a, rows, (r) => (r.valid ? `${r.url}  version=${r.version} group=${r.group}\n` : `${r.url}  (invalid: ${r.error})\n`));
  },
};

export const SERVICE_COMMANDS: readonly Command[] = [SERVICES, PROVIDERS, CONSUMERS];
