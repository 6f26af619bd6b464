import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The page and its assets: sources in ui/, the bundle esbuild writes to dist/ui/ at build time.
 * Paths are from the package folder, so they hold from src/ (tests) and dist/ alike.
 */
const ASSETS = new Map<string, { file: URL; type: string }>([
  ['', { file: new URL('../ui/index.html', import.meta.url), type: 'text/html; charset=utf-8' }],
  ['style.css', { file: new URL('../ui/style.css', import.meta.url), type: 'text/css; charset=utf-8' }],
  ['app.js', { file: new URL('../dist/ui/app.js', import.meta.url), type: 'text/javascript; charset=utf-8' }],
]);

/**
 * Scripts and styles only from this origin, no framing by other sites (clickjacking), no
 * sniffing: the console changes a live system, so its page is locked down.
 */
export function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
}

export function assetRoutes(app: FastifyInstance): void {
  for (const [name, { file, type }] of ASSETS) {
    app.get(`/${name}`, async (_req, reply) => {
      let body: Buffer;
      try {
        body = await readFile(fileURLToPath(file));
      } catch {
        return reply.code(503).type('text/plain; charset=utf-8')
          .send(`The console's ${name || 'page'} is not built (${fileURLToPath(file)}): run npm run build.`);
      }
      return securityHeaders(reply).header('cache-control', 'no-cache').type(type).send(body);
    });
  }
}
