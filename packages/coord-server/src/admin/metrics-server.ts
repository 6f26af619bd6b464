import { LogController, fastify, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../base/logger.js';
import { PROMETHEUS_CONTENT_TYPE } from './metrics.js';
import type { ServerStats } from './server-stats.js';

/** A scrape carries no body; anything bigger is refused before it is read. */
const BODY_LIMIT = 1024;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * ZooKeeper's PrometheusMetricsProvider endpoint: GET /metrics alone on its own address
 * (metricsProvider.httpHost:httpPort, 0.0.0.0:7000 by default), the same text as the
 * AdminServer's /metrics, so a scrape configured for ZooKeeper's port 7000 works unchanged.
 */
export class MetricsServer {
  private constructor(private readonly app: FastifyInstance, readonly host: string, readonly port: number) {}

  /** Throws an Error naming the address when it cannot listen (the server then does not start). */
  static async start(stats: ServerStats, o: { host: string; port: number; logger: Logger }): Promise<MetricsServer> {
    const logger: FastifyBaseLogger = o.logger;
    const app = fastify({
      loggerInstance: logger,
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: BODY_LIMIT,
      requestTimeout: REQUEST_TIMEOUT_MS,
    });
    app.get('/metrics', async (_req, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(await stats.prometheus.text()));
    try {
      await app.listen({ host: o.host, port: o.port });
    } catch (err) {
      await app.close();
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new Error(`cannot listen on ${o.host}:${o.port} for metricsProvider.httpPort (${code})`, { cause: err });
    }
    const addr = app.server.address();
    return new MetricsServer(app, o.host, addr && typeof addr === 'object' ? addr.port : o.port);
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
