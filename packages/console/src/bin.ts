import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LogController, fastify, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { httpServerView } from './http-server-view.js';
import { CONSOLE_PREFIX, registerConsole } from './mount.js';
import type { ConsoleOptions } from './options.js';

const USAGE = `Usage: paddock-console [options]

Serves the Paddock console for any ZooKeeper-protocol coordination service (Paddock's
coord-server or Apache ZooKeeper 3.8) at http://<host>:<port>/console.

Options:
  --server <connect string>   coordination service (default 127.0.0.1:2181)
  --root <path>               registry root (default /services)
  --host <addr>               listen address (default 127.0.0.1)
  --port <n>                  listen port, 0 for a free one (default 8081)
  --admin-url <url>           an AdminServer to read server internals from (e.g. http://127.0.0.1:8080)
  --token-file <file>         file whose first line is the console token that allows changes
                              (default: PADDOCK_CONSOLE_TOKEN from the environment)
  -h, --help                  show this help
`;

/** Listens where told; prints the URL on its own line (tests and people read it). */
export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      server: { type: 'string', default: '127.0.0.1:2181' },
      root: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8081' },
      'admin-url': { type: 'string' },
      'token-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) throw new Error(`--port expects 0..65535, got "${values.port}"`);
  const tokenFile = values['token-file'];
  const token = tokenFile !== undefined ? readFileSync(tokenFile, 'utf8').split('\n')[0]?.trim() : process.env.PADDOCK_CONSOLE_TOKEN;
  const logger = pino({ name: 'paddock-console', level: process.env.PADDOCK_LOG_LEVEL ?? 'info' });
  const opts: ConsoleOptions = {
    connectString: values.server,
    logger,
    ...(values.root === undefined ? {} : { root: values.root }),
    ...(token ? { token } : {}),
    ...(values['admin-url'] === undefined ? {} : { server: httpServerView(values['admin-url']) }),
  };
  const app: FastifyInstance = fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  const handle = registerConsole(app, opts);
  app.get('/', (_req, reply) => reply.redirect(CONSOLE_PREFIX));
  await app.listen({ host: values.host, port: Number(values.port) });
  const addr = app.server.address();
  const port = addr && typeof addr === 'object' ? addr.port : Number(values.port);
  process.stdout.write(`CONSOLE http://${values.host.includes(':') ? `[${values.host}]` : values.host}:${port}${CONSOLE_PREFIX}\n`);
  const stop = (): void => {
    void handle.close().then(() => app.close()).then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
