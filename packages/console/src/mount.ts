import type { FastifyInstance } from 'fastify';
import { configRoutes } from './api/config.js';
import { EventHub, eventRoutes } from './api/events.js';
import { toHttpError } from './http-error.js';
import { loginRoutes } from './api/login.js';
import { serverRoutes } from './api/server.js';
import { serviceRoutes } from './api/services.js';
import { znodeRoutes } from './api/znodes.js';
import { assetRoutes, securityHeaders } from './assets.js';
import { Logins } from './auth/logins.js';
import { ConsoleContext } from './context.js';
import { LazyCoordination } from './coordination.js';
import { resolveConsoleOptions, type ConsoleOptions } from './options.js';

/** Where the console lives on its host's HTTP server. */
export const CONSOLE_PREFIX = '/console';
/** Config values and znode data are up to 1 MiB, sent as JSON (base64 or escaped text). */
const BODY_LIMIT = 3 * 1024 * 1024;

export interface ConsoleHandle {
  /** Ends the event streams, the logins' sessions and the console's own session. */
  close(): Promise<void>;
}

/**
 * Registers the console's page (`/console`) and API (`/console/api/...`) on a fastify
 * instance that is not listening yet: Paddock's AdminServer, or the standalone
 * `paddock-console`. Nothing connects until the first request.
 */
export function registerConsole(app: FastifyInstance, options: ConsoleOptions): ConsoleHandle {
  const opts = resolveConsoleOptions(options);
  const shared = new LazyCoordination(opts);
  const logins = new Logins();
  const hub = new EventHub(shared, opts.server);
  const ctx = new ConsoleContext(opts, shared, logins);
  void app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.bodyLimit = BODY_LIMIT;
    });
    scope.addHook('onSend', async (_req, reply) => {
      securityHeaders(reply);
    });
    scope.setErrorHandler((err, req, reply) => {
      const e = toHttpError(err);
      const status = (err as { statusCode?: number }).statusCode ?? e.status;
      if (status >= 500) opts.logger.error({ err, url: req.url }, 'console request failed');
      return reply.code(status >= 400 ? status : 500).send({ error: e.message, code: e.code });
    });
    scope.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `Not found: ${req.method} ${req.url}`, code: 'NOT_FOUND' }));
    assetRoutes(scope);
    loginRoutes(scope, ctx);
    serverRoutes(scope, ctx);
    serviceRoutes(scope, ctx);
    configRoutes(scope, ctx);
    znodeRoutes(scope, ctx);
    eventRoutes(scope, hub);
  }, { prefix: CONSOLE_PREFIX });
  return {
    async close() {
      hub.close();
      await logins.close();
      await shared.close();
    },
  };
}

/** What Paddock's AdminServer hands a mounted extension (the shape coord-server's AdminMount expects). */
export interface AdminHost {
  readonly clientHost: string;
  readonly clientPort: number;
  readonly logger: NonNullable<ConsoleOptions['logger']>;
  /** Runs an admin command in-process; undefined for an unknown name. */
  command(name: string): Record<string, unknown> | undefined;
}

/**
 * The console as a mount for coord-server's AdminServer: it connects to its own server's client
 * port and reads the server's internals from the admin commands in-process.
 */
export function consoleMount(config: Pick<ConsoleOptions, 'token' | 'root'> = {}) {
  return {
    name: 'console',
    register(app: FastifyInstance, host: AdminHost): ConsoleHandle {
      const clientHost = host.clientHost === '0.0.0.0' || host.clientHost === '::' ? '127.0.0.1' : host.clientHost;
      return registerConsole(app, {
        ...config,
        connectString: `${clientHost.includes(':') ? `[${clientHost}]` : clientHost}:${host.clientPort}`,
        logger: host.logger,
        server: {
          label: 'this server (in-process)',
          command: async (name) => {
            const body = host.command(name);
            if (body === undefined || body.error) throw new Error(`admin command ${name}: ${String(body?.error ?? 'unknown')}`);
            // Session ids are bigints in-process; as text they survive JSON (the HTTP view gets the same).
            return JSON.parse(JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
          },
        },
      });
    },
  };
}
