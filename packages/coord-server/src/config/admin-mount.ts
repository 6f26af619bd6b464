import type { FastifyInstance } from 'fastify';
import type { Logger } from '../base/logger.js';

/** What the AdminServer hands an extension mounted on it. */
export interface AdminMountHost {
  /** Where this server's clients connect, for an extension that talks the client protocol to it. */
  readonly clientHost: string;
  readonly clientPort: number;
  readonly logger: Logger;
  /** Runs an admin command by name or alias, in-process; undefined for an unknown name. */
  command(name: string): Record<string, unknown> | undefined;
}

/**
 * An extension served on the AdminServer's port next to /commands and /metrics, such as the
 * web console. The server cannot import the packages that build one (it sits below the
 * client and the registry), so its bin hands them in: the bin is where the layers meet.
 */
export interface AdminMount {
  readonly name: string;
  /** Adds its routes before the AdminServer listens; `close` runs when the AdminServer closes. */
  register(app: FastifyInstance, host: AdminMountHost): { close(): Promise<void> };
}
