import { CreateMode, type CreateModeValue } from '@paddock/coord-client';
import type { FastifyInstance } from 'fastify';
import type { ConsoleContext } from '../context.js';
import { bodyObject, intField, optionalString, requiredString, type Query } from './body.js';
import { HttpError } from '../http-error.js';
import { aclJson, statJson } from './znode-json.js';

/** Children per page: a node with 100k children is read in pages, never drawn at once. */
const MAX_PAGE = 1000;
const DEFAULT_PAGE = 200;
/** Node data travels as base64; the largest a node holds is jute.maxbuffer (1 MiB). */
const MAX_DATA_BYTES = 1024 * 1024;

/** Modes a console may create: ephemerals would die with the console's own session. */
const MODES = new Map<string, CreateModeValue>([
  ['persistent', CreateMode.PERSISTENT],
  ['persistent_sequential', CreateMode.PERSISTENT_SEQUENTIAL],
  ['container', CreateMode.CONTAINER],
]);

/** Znode paths as ZooKeeper accepts them; the server has the last word on the finer rules. */
function checkPath(path: unknown): string {
  if (typeof path !== 'string' || !/^\/([^/\u0000]+(\/[^/\u0000]+)*)?$/.test(path) || path.length > 4096) {
    throw new HttpError(400, 'BAD_REQUEST', `bad znode path ${JSON.stringify(path)}: absolute, no trailing or double slash`);
  }
  return path;
}

/** Data from the editor: text as UTF-8, or hex / base64 for bytes. */
function decodeData(body: Record<string, unknown>): Buffer {
  const text = optionalString(body, 'data') ?? '';
  const encoding = optionalString(body, 'encoding') ?? 'text';
  let data: Buffer;
  if (encoding === 'text') data = Buffer.from(text, 'utf8');
  else if (encoding === 'hex') {
    const clean = text.replace(/\s+/g, '');
    if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new HttpError(400, 'BAD_REQUEST', 'hex data must be pairs of hex digits');
    data = Buffer.from(clean, 'hex');
  } else if (encoding === 'base64') data = Buffer.from(text, 'base64');
  else throw new HttpError(400, 'BAD_REQUEST', `encoding must be text, hex or base64, got ${JSON.stringify(encoding)}`);
  if (data.length > MAX_DATA_BYTES) throw new HttpError(413, 'TOO_LARGE', `data is ${data.length} bytes; a znode holds at most ${MAX_DATA_BYTES}`);
  return data;
}

export function znodeRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  /** One page of a node's children, sorted, optionally those starting with `prefix`. */
  app.get('/api/znodes/children', async (req) => {
    const q = req.query as Query;
    const path = checkPath(q.path ?? '/');
    const offset = intField(q.offset, 'offset', 0, 0x7fffffff, 0);
    const limit = intField(q.limit, 'limit', 1, MAX_PAGE, DEFAULT_PAGE);
    const prefix = q.prefix ?? '';
    const { client } = await ctx.read();
    const { children, stat } = await client.getChildren2(path);
    const matching = (prefix === '' ? children : children.filter((c) => c.startsWith(prefix))).sort();
    return { path, total: matching.length, numChildren: stat.numChildren, offset, children: matching.slice(offset, offset + limit) };
  });

  /** Data (base64; the page shows it as text, JSON or hex), Stat and ACL. */
  app.get('/api/znodes/node', async (req) => {
    const path = checkPath((req.query as Query).path);
    const { client } = await ctx.read();
    const [{ data, nullData, stat }, { acl }] = await Promise.all([client.getData(path), client.getACL(path)]);
    return { path, data: data.toString('base64'), nullData, stat: statJson(stat), acl: aclJson(acl), ephemeral: BigInt(stat.ephemeralOwner) !== 0n };
  });

  app.post('/api/znodes/node', async (req) => {
    const body = bodyObject(req.body);
    const path = checkPath(requiredString(body, 'path'));
    const modeName = optionalString(body, 'mode') ?? 'persistent';
    const mode = MODES.get(modeName);
    if (mode === undefined) throw new HttpError(400, 'BAD_REQUEST', `mode must be one of ${[...MODES.keys()].join(', ')}, got ${JSON.stringify(modeName)}`);
    const data = decodeData(body);
    return ctx.change(req, 'znode create', { path, mode: modeName }, async (c) => ({ path: await c.client.create(path, data, { mode }) }));
  });

  app.put('/api/znodes/node', async (req) => {
    const body = bodyObject(req.body);
    const path = checkPath(requiredString(body, 'path'));
    const version = intField(body.version, 'version', -1, 0x7fffffff);
    const data = decodeData(body);
    return ctx.change(req, 'znode set', { path, version }, async (c) => ({ path, stat: statJson(await c.client.setData(path, data, version)) }));
  });

  app.delete('/api/znodes/node', async (req) => {
    const q = req.query as Query;
    const path = checkPath(q.path);
    if (path === '/') throw new HttpError(400, 'BAD_REQUEST', 'the root cannot be deleted');
    const version = intField(q.version, 'version', -1, 0x7fffffff);
    return ctx.change(req, 'znode delete', { path, version }, async (c) => {
      await c.client.delete(path, version);
      return { path, deleted: true };
    });
  });
}
