import type { FastifyRequest } from 'fastify';
import { authorize } from './auth/guard.js';
import type { Logins } from './auth/logins.js';
import type { Coordination, LazyCoordination } from './coordination.js';
import type { ResolvedConsoleOptions } from './options.js';

/** What every API route works with. */
export class ConsoleContext {
  constructor(readonly opts: ResolvedConsoleOptions, readonly shared: LazyCoordination, readonly logins: Logins) {}

  /** The shared session, for reads. */
  read(): Promise<Coordination> {
    return this.shared.get();
  }

  /**
   * Runs a change on behalf of the request's credential (refused without one), on that
   * identity's own session when it has one, and logs who did what, whether it worked or not.
   */
  async change<T>(req: FastifyRequest, action: string, target: Record<string, unknown>, run: (c: Coordination) => Promise<T>): Promise<T> {
    let who = 'anonymous';
    try {
      const actor = authorize(req, this.logins, this.opts.token);
      who = actor.who;
      const result = await run(actor.login?.own ?? (await this.shared.get()));
      this.opts.logger.info({ who, action, ...target, ip: req.ip }, `console change: ${action}`);
      return result;
    } catch (err) {
      this.opts.logger.warn({ who, action, ...target, ip: req.ip, err: (err as Error).message }, `console change refused: ${action}`);
      throw err;
    }
  }
}
