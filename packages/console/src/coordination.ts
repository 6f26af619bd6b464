import type { AuthInfo, CoordClient } from '@paddock/coord-client';
import { ConfigCenter, Registry } from '@paddock/registry';
import type { ResolvedConsoleOptions } from './options.js';
import { HttpError } from './http-error.js';

/**
 * One session on the coordination service through the registry: overrides go through the
 * registry's own writer, config through its config center, znodes through its client. The
 * console opens one for reading and token-holders' changes, and one per digest identity so that
 * the server checks that identity against each znode's ACL.
 */
export class Coordination {
  private constructor(readonly registry: Registry, readonly config: ConfigCenter) {}

  static async open(opts: ResolvedConsoleOptions, authInfo: readonly AuthInfo[] = []): Promise<Coordination> {
    const registry = await Registry.connect(opts.connectString, {
      root: opts.root,
      sessionTimeout: opts.sessionTimeout,
      logger: opts.logger,
      client: { authInfo },
    });
    return new Coordination(registry, ConfigCenter.forRegistry(registry, { logger: opts.logger }));
  }

  /** The current session's client; 503 between sessions. */
  get client(): CoordClient {
    const c = this.registry.client;
    if (c === null) throw new HttpError(503, 'NOT_CONNECTED', 'the console has no session with the coordination service right now; try again');
    return c;
  }

  async close(): Promise<void> {
    await this.config.close();
    await this.registry.close();
  }
}

/**
 * Opens the shared session on first use rather than at start: the console must not hold up
 * the AdminServer, and a coordination service that is down now may be up at the next request.
 */
export class LazyCoordination {
  private opening: Promise<Coordination> | null = null;
  private closed = false;

  constructor(private readonly opts: ResolvedConsoleOptions) {}

  get(): Promise<Coordination> {
    if (this.closed) return Promise.reject(new HttpError(503, 'CLOSED', 'the console is closing'));
    if (this.opening === null) {
      const opening = Coordination.open(this.opts);
      this.opening = opening;
      opening.catch(() => {
        if (this.opening === opening) this.opening = null;
      });
    }
    return this.opening.catch((err: Error) => {
      throw new HttpError(503, 'NOT_CONNECTED', `cannot reach the coordination service at ${this.opts.connectString}: ${err.message}`);
    });
  }

  /** The session if it is open already (for the event stream), without opening one. */
  peek(): Promise<Coordination> | null {
    return this.opening;
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = await this.opening?.catch(() => null);
    await c?.close();
  }
}
