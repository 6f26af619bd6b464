import type { Server } from 'node:net';
import type { Clock, Logger } from '@paddock/edges';

/** At most one warning a second about refused connections: a flood of them must not flood the log too. */
const LOG_EVERY_MS = 1000;

/**
 * Holds a provider's listener (tcp or http) to `max` connections at once: net.Server closes a
 * connection beyond it as soon as it is accepted, before anything is read from it. Each refusal
 * is logged, the ones within a second of the last warning counted into the next.
 */
export function limitConnections(server: Server, max: number, clock: Clock, logger: Logger): void {
  server.maxConnections = max;
  let lastLog = -Infinity;
  let unlogged = 0;
  server.on('drop', (peer) => {
    unlogged++;
    const now = clock.now();
    if (now - lastLog < LOG_EVERY_MS) return;
    logger.warn(
      { peer: `${peer?.remoteAddress ?? '?'}:${peer?.remotePort ?? 0}`, maxConnections: max, refused: unlogged },
      `rpc: connection refused: the provider holds maxConnections (${max}) connections`,
    );
    lastLog = now;
    unlogged = 0;
  });
}
