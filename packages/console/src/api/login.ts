import type { FastifyInstance } from 'fastify';
import { checkOrigin } from '../auth/guard.js';
import { CSRF_HEADER, clearCookie, cookieValue, sameSecret, setCookie } from '../auth/logins.js';
import { Coordination } from '../coordination.js';
import type { ConsoleContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { bodyObject, optionalString } from './body.js';

/** Digest identities are `user:password`, as ZooKeeper's addauth digest takes them. */
const DIGEST = /^([^:\s]{1,64}):(.{1,256})$/s;

export function loginRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/api/whoami', (req) => {
    const login = ctx.logins.find(cookieValue(req.headers.cookie));
    return { who: login?.who ?? null, csrf: login?.csrf ?? null, csrfHeader: CSRF_HEADER, tokenConfigured: ctx.opts.token !== null };
  });

  app.post('/api/login', async (req, reply) => {
    checkOrigin(req);
    const body = bodyObject(req.body);
    const token = optionalString(body, 'token');
    const digest = optionalString(body, 'digest');
    let login;
    if (token !== undefined) {
      if (ctx.opts.token === null || !sameSecret(token, ctx.opts.token)) {
        ctx.opts.logger.warn({ ip: req.ip }, 'console login refused: wrong token');
        throw new HttpError(401, 'BAD_CREDENTIAL', ctx.opts.token === null ? 'no console token is configured; log in with a digest identity' : 'wrong token');
      }
      login = await ctx.logins.add('token', null);
    } else if (digest !== undefined) {
      const m = DIGEST.exec(digest);
      if (!m) throw new HttpError(400, 'BAD_REQUEST', 'a digest identity is user:password');
      // The server checks this identity against each znode's ACL on every change it makes.
      const own = await Coordination.open(ctx.opts, [{ scheme: 'digest', auth: digest }]);
      login = await ctx.logins.add(`digest:${m[1] as string}`, own);
    } else {
      throw new HttpError(400, 'BAD_REQUEST', 'log in with {"token": ...} or {"digest": "user:password"}');
    }
    ctx.opts.logger.info({ who: login.who, ip: req.ip }, 'console login');
    reply.header('set-cookie', setCookie(login.id));
    return { who: login.who, csrf: login.csrf, csrfHeader: CSRF_HEADER };
  });

  app.post('/api/logout', async (req, reply) => {
    checkOrigin(req);
    const id = cookieValue(req.headers.cookie);
    if (id !== undefined) await ctx.logins.remove(id);
    reply.header('set-cookie', clearCookie());
    return { who: null };
  });
}
