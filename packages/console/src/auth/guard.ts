import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http-error.js';
import { CSRF_HEADER, NO_CREDENTIAL, cookieValue, sameSecret, type Login, type Logins } from './logins.js';

/** Who makes a change, and on which session (null: the console's shared one). */
export interface Actor {
  readonly who: string;
  readonly login: Login | null;
}

/**
 * A state-changing request from another site is refused: browsers send Origin with every
 * POST/PUT/DELETE, and it must name this very host. Requests without Origin (curl, scripts)
 * pass this check; they still need a credential below.
 */
export function checkOrigin(req: FastifyRequest): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const host = req.headers.host;
  if (host === undefined || (origin !== `http://${host}` && origin !== `https://${host}`)) {
    throw new HttpError(403, 'CROSS_ORIGIN', `change refused: request from origin ${origin} to ${host ?? 'an unnamed host'}`);
  }
}

/**
 * The credential of a change: the token as `Authorization: Bearer` (no cookie, so no CSRF
 * exposure), or a login cookie together with that login's CSRF token in a header, which a page
 * of another site can neither read nor send.
 */
export function authorize(req: FastifyRequest, logins: Logins, token: string | null): Actor {
  checkOrigin(req);
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer (.+)$/.exec(auth);
    if (!m || token === null || !sameSecret(m[1] as string, token)) throw new HttpError(401, 'BAD_CREDENTIAL', 'the bearer token is not the console token');
    return { who: 'token', login: null };
  }
  const login = logins.find(cookieValue(req.headers.cookie));
  if (!login) throw NO_CREDENTIAL;
  const csrf = req.headers[CSRF_HEADER];
  if (typeof csrf !== 'string' || !sameSecret(csrf, login.csrf)) {
    throw new HttpError(403, 'CSRF', `change refused: missing or wrong ${CSRF_HEADER} header`);
  }
  return { who: login.who, login };
}
