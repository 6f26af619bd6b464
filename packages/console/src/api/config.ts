import { CONFIG_ROOT, ConfigValueError, type JsonValue } from '@paddock/registry';
import type { FastifyInstance } from 'fastify';
import type { ConsoleContext } from '../context.js';
import { bodyObject, requiredString } from './body.js';
import { HttpError, toHttpError } from '../http-error.js';
import { statJson } from './znode-json.js';

/** Namespaces listed with their keys in one answer; past it, truncated. */
const MAX_NAMESPACES = 500;
const MAX_KEYS = 2000;
/** Config values are JSON (as the config center writes them): the editor's text must parse. */
const MAX_VALUE_TEXT = 1024 * 1024;

function parseValue(text: string): JsonValue {
  if (text.length > MAX_VALUE_TEXT) throw new HttpError(413, 'TOO_LARGE', `the value is ${text.length} characters; at most ${MAX_VALUE_TEXT}`);
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw new HttpError(400, 'NOT_JSON', `the value is not JSON: ${(err as Error).message}`);
  }
}

export function configRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/api/config', async () => {
    const { config } = await ctx.read();
    const all = await config.namespaces();
    const namespaces = await Promise.all(all.slice(0, MAX_NAMESPACES).map(async (namespace) => {
      const keys = await config.list(namespace);
      return { namespace, keys: keys.slice(0, MAX_KEYS), truncated: keys.length > MAX_KEYS };
    }));
    return { root: CONFIG_ROOT, namespaces, truncated: all.length > MAX_NAMESPACES };
  });

  app.get('/api/config/:namespace/:key', async (req) => {
    const { namespace, key } = req.params as { namespace: string; key: string };
    const { config, client } = await ctx.read();
    const path = `${CONFIG_ROOT}/${namespace}/${key}`;
    let value: JsonValue | undefined;
    let problem: string | null = null;
    try {
      value = await config.get(namespace, key);
    } catch (err) {
      // Someone wrote data that is not JSON: show it as text, say so, and let it be fixed.
      if (!(err instanceof ConfigValueError)) throw err;
      problem = err.message;
    }
    if (value === undefined && problem === null) throw new HttpError(404, 'NoNode', `no config key ${namespace}/${key}`);
    const { data, stat } = await client.getData(path);
    return { namespace, key, path, value: value ?? null, text: data.toString('utf8'), problem, stat: statJson(stat) };
  });

  app.put('/api/config/:namespace/:key', async (req) => {
    const { namespace, key } = req.params as { namespace: string; key: string };
    const value = parseValue(requiredString(bodyObject(req.body), 'text'));
    return ctx.change(req, 'config set', { namespace, key }, async (c) => {
      await c.config.set(namespace, key, value).catch((err: unknown) => { throw toHttpError(err); });
      return { namespace, key, value };
    });
  });

  app.delete('/api/config/:namespace/:key', async (req) => {
    const { namespace, key } = req.params as { namespace: string; key: string };
    return ctx.change(req, 'config delete', { namespace, key }, async (c) => ({ namespace, key, deleted: await c.config.delete(namespace, key) }));
  });
}
