import type { CoordClient } from '@paddock/coord-client';
import {
  applyOverrides, fromNodeName, parseOverrideUrl, parseProviderUrl, parseUrl, sortOverrides,
  type ParsedOverride, type Provider,
} from '@paddock/registry';
import type { FastifyInstance } from 'fastify';
import type { ConsoleContext } from '../context.js';
import { bodyObject, intField, requiredString } from './body.js';
import { HttpError, toHttpError } from '../http-error.js';

/** Services listed on one page; past it the answer says it is truncated. */
const MAX_SERVICES = 1000;
/** Instances shown per category of one service. */
const MAX_INSTANCES = 5000;

const CATEGORIES = ['providers', 'consumers', 'configurators'] as const;

async function childrenOrEmpty(client: CoordClient, path: string): Promise<string[]> {
  try {
    return await client.getChildren(path);
  } catch (err) {
    if (toHttpError(err).status === 404) return [];
    throw err;
  }
}

/** Node names whose URL does not parse are shown as such rather than failing the page. */
function decodeAll<T>(names: readonly string[], parse: (url: string) => T): { items: T[]; unreadable: string[] } {
  const items: T[] = [];
  const unreadable: string[] = [];
  for (const name of names.slice(0, MAX_INSTANCES)) {
    try {
      items.push(parse(fromNodeName(name)));
    } catch {
      unreadable.push(name);
    }
  }
  return { items, unreadable };
}

interface ProviderRow extends Provider {
  readonly disabled: boolean;
  /** The weight consumers use: the provider's, or an override's. */
  readonly effectiveWeight: number;
  /** The override rules that apply to this provider, in the order they apply. */
  readonly overrides: readonly string[];
}

function providerRows(providers: readonly Provider[], overrides: readonly ParsedOverride[]): ProviderRow[] {
  const sorted = sortOverrides(overrides);
  const seen = new Map(applyOverrides(providers, sorted).map((p) => [p.url, p]));
  return providers.map((p) => {
    const applied = seen.get(p.url);
    const rules = sorted.filter((o) => (o.host === null || o.host === p.host) && (o.port === null || o.port === p.port));
    return { ...p, disabled: applied === undefined, effectiveWeight: applied?.weight ?? p.weight, overrides: rules.map((o) => o.url) };
  });
}

async function serviceDetail(client: CoordClient, root: string, service: string) {
  const [providerNames, consumerNames, overrideNames] = await Promise.all(
    CATEGORIES.map((c) => childrenOrEmpty(client, `${root}/${service}/${c}`)),
  );
  const providers = decodeAll(providerNames as string[], parseProviderUrl);
  const consumers = decodeAll(consumerNames as string[], (url) => {
    const u = parseUrl(url);
    return { url, host: u.host, params: Object.fromEntries(u.params) };
  });
  const overrides = decodeAll(overrideNames as string[], parseOverrideUrl);
  return {
    service,
    providers: providerRows(providers.items, overrides.items).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
    consumers: consumers.items,
    overrides: overrides.items,
    unreadable: [...providers.unreadable, ...consumers.unreadable, ...overrides.unreadable],
  };
}

/** Counts per category from each category node's Stat: one pipelined round for the whole list. */
async function serviceSummaries(client: CoordClient, root: string) {
  const names = (await childrenOrEmpty(client, root)).sort();
  const shown = names.slice(0, MAX_SERVICES);
  const rows = await Promise.all(shown.map(async (service) => {
    const stats = await Promise.all(CATEGORIES.map((c) => client.exists(`${root}/${service}/${c}`)));
    const [providers, consumers, overrides] = stats.map((s) => s?.numChildren ?? 0);
    return { service, providers, consumers, overrides };
  }));
  return { root, services: rows, total: names.length, truncated: names.length > shown.length };
}

/** The override a change writes: the target's current rule merged with the change. */
function merged(current: ParsedOverride | undefined, weight: number | undefined, disabled: boolean | undefined) {
  return {
    weight: weight ?? current?.weight,
    disabled: disabled ?? current?.disabled,
  };
}

/** The registry's target of a rule: every host is written as no host. */
function targetOf(host: string, port: number | undefined): { host?: string; port?: number } {
  return { ...(host === '0.0.0.0' || host === '*' ? {} : { host }), ...(port === undefined ? {} : { port }) };
}

function checkService(service: string): string {
  if (service.length === 0 || service.includes('/')) throw new HttpError(400, 'BAD_REQUEST', `bad service name ${JSON.stringify(service)}`);
  return service;
}

export function serviceRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const root = ctx.opts.root;
  app.get('/api/services', async () => serviceSummaries((await ctx.read()).client, root));

  app.get('/api/services/:service', async (req) => {
    const { service } = req.params as { service: string };
    return serviceDetail((await ctx.read()).client, root, checkService(service));
  });

  /** Disable/enable or re-weight providers: a configurator override, as consumers read them. */
  app.post('/api/services/:service/override', async (req) => {
    const service = checkService((req.params as { service: string }).service);
    const body = bodyObject(req.body);
    const host = requiredString(body, 'host');
    const port = body.port === undefined || body.port === null ? undefined : intField(body.port, 'port', 1, 65535);
    const weight = body.weight === undefined ? undefined : intField(body.weight, 'weight', 0, 1_000_000);
    if (body.disabled !== undefined && typeof body.disabled !== 'boolean') throw new HttpError(400, 'BAD_REQUEST', 'disabled must be true or false');
    const disabled = body.disabled as boolean | undefined;
    if (weight === undefined && disabled === undefined) throw new HttpError(400, 'BAD_REQUEST', 'set weight or disabled');
    return ctx.change(req, 'override', { service, host, port, weight, disabled }, async (c) => {
      const target = targetOf(host, port);
      const current = (await serviceDetail(c.client, root, service)).overrides
        .find((o) => o.host === (target.host ?? null) && o.port === (port ?? null));
      const next = merged(current, weight, disabled);
      // Enabled with no weight of its own: the rule has nothing left to say.
      if (next.weight === undefined && next.disabled !== true) {
        await c.registry.clearOverride(service, target);
        return { service, override: null };
      }
      const url = await c.registry.setOverride(service, {
        ...target,
        ...(next.weight === undefined ? {} : { weight: next.weight }),
        ...(next.disabled === undefined ? {} : { disabled: next.disabled }),
      });
      return { service, override: url };
    });
  });

  app.delete('/api/services/:service/override', async (req) => {
    const service = checkService((req.params as { service: string }).service);
    const q = req.query as Record<string, string | undefined>;
    const host = q.host ?? '0.0.0.0';
    const port = q.port === undefined ? undefined : intField(q.port, 'port', 1, 65535);
    return ctx.change(req, 'clear override', { service, host, port }, async (c) => {
      await c.registry.clearOverride(service, targetOf(host, port));
      return { service, override: null };
    });
  });
}
