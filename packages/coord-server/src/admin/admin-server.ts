import { LogController, fastify, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from '../base/logger.js';
import type { AdminMount } from '../config/admin-mount.js';
import { COMMANDS, findCommand, runCommand } from './command-table.js';
import { toJson } from './json.js';
import { PROMETHEUS_CONTENT_TYPE } from './metrics.js';
import type { ServerStats } from './server-stats.js';

export interface AdminServerOptions {
  readonly host: string;
  /** 0 picks a free port; `AdminServer.port` tells which. */
  readonly port: number;
  readonly logger: Logger;
  /** Extensions served on the same port (the web console under /console). */
  readonly mounts?: readonly AdminMount[];
  /** Where this server's clients connect, handed to the mounts. */
  readonly clientHost?: string;
  readonly clientPort?: number;
}

/** Admin requests carry no body; anything bigger is refused before it is read. */
const BODY_LIMIT = 1024;
/** A client that has not sent its request within this time is dropped. */
const REQUEST_TIMEOUT_MS = 10_000;
const NOT_ALLOWED_METHODS = ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

function json(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type('application/json').send(toJson(body));
}

/** GET /commands: links to every command, the page ZooKeeper's AdminServer serves. */
function commandIndex(): string {
  return [...COMMANDS].map((c) => c.name).sort().map((n) => `<a href="/commands/${n}">${n}</a>\n<br/>\n`).join('');
}

function routes(app: FastifyInstance, stats: ServerStats): void {
  const index = commandIndex();
  app.get('/commands', (_req, reply) => reply.type('text/html; charset=utf-8').send(index));
  app.get('/commands/*', (req, reply) => {
    const name = (req.params as { '*': string })['*'];
    const c = findCommand(name);
    if (!c) return json(reply, 404, { command: name, error: `Unknown command: ${name}` });
    return json(reply, 200, runCommand(c, stats, req.query as Record<string, string | undefined>));
  });
  app.get('/metrics', async (_req, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(await stats.prometheus.text()));
  for (const url of ['/commands', '/commands/*', '/metrics']) {
    app.route({
      method: [...NOT_ALLOWED_METHODS],
      url,
      handler: (req, reply) => {
        reply.header('allow', 'GET, HEAD');
        return json(reply, 405, { error: `HTTP method ${req.method} is not supported by this URL` });
      },
    });
  }
  app.setNotFoundHandler((req, reply) =>
    json(reply, 404, { error: `Not found: ${req.method} ${req.url}; see /commands for the commands, /metrics for metrics` }));
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err, url: req.url }, 'admin command failed');
    return json(reply, status, { error: err.message });
  });
}

/**
 * ZooKeeper's AdminServer over fastify: `GET /commands` lists the commands, `GET
 * /commands/<name>` runs one (ZooKeeper's names, aliases and JSON fields), `GET /metrics`
 * serves Prometheus text. It reads the same ServerStats as the four-letter words.
 */
export class AdminServer {
  private constructor(
    private readonly app: FastifyInstance,
    readonly host: string,
    readonly port: number,
    private readonly mounted: readonly { close(): Promise<void> }[],
  ) {}

  static async start(stats: ServerStats, opts: AdminServerOptions): Promise<AdminServer> {
    const logger: FastifyBaseLogger = opts.logger;
    const app: FastifyInstance = fastify({
      loggerInstance: logger,
      // Scrapes every few seconds: no line per request.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: BODY_LIMIT,
      requestTimeout: REQUEST_TIMEOUT_MS,
      routerOptions: { ignoreTrailingSlash: true },
    });
    routes(app, stats);
    const host = {
      clientHost: opts.clientHost ?? '127.0.0.1',
      clientPort: opts.clientPort ?? 2181,
      logger: opts.logger,
      command: (name: string) => {
        const c = findCommand(name);
        return c && runCommand(c, stats, {});
      },
    };
    const mounted = (opts.mounts ?? []).map((m) => m.register(app, { ...host, logger: opts.logger.child({ mount: m.name }) }));
    try {
      await app.listen({ host: opts.host, port: opts.port });
    } catch (err) {
      await Promise.all(mounted.map((m) => m.close()));
      await app.close();
      throw err;
    }
    const addr = app.server.address();
    const port = addr && typeof addr === 'object' ? addr.port : opts.port;
    return new AdminServer(app, opts.host, port, mounted);
  }

  async close(): Promise<void> {
    // Mounts first: the console's event streams would otherwise hold the close open.
    await Promise.all(this.mounted.map((m) => m.close()));
    await this.app.close();
  }
}
