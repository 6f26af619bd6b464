import { Code, CreateMode, joinPath } from '@paddock/coord-protocol';
import { MultiError } from '../../errors.js';
import type { Op } from '../../transaction.js';
import type { RecipeEnv } from './env.js';
import { RecipeError } from './errors.js';
import { isRetryable, recover, unless, withRetry } from './retry.js';

/**
 * An ephemeral node of ours whose data we set in the same multi as a write that must happen
 * exactly once (a queue take, a counter update). When the multi's reply is lost to
 * ConnectionLoss, reading the marker back tells whether the write happened: the one fact a
 * retry needs, and one ZooKeeper cannot give otherwise.
 */
export class WriteMarker {
  private ready: string | null = null;

  constructor(private readonly env: RecipeEnv, private readonly dir: string) {}

  private async ensure(): Promise<string> {
    if (this.ready !== null) return this.ready;
    const path = joinPath(this.dir, `marker-${this.env.newId()}`);
    // A unique name: NodeExists after a lost reply means our create went through.
    await withRetry(this.env, `create ${path}`, () => unless(Code.NodeExists, this.env.client.create(path, null, { mode: CreateMode.EPHEMERAL })), path);
    this.ready = path;
    return path;
  }

  /**
   * Applies `ops` once. Version-checked ops make a plain retry safe when the first try did not
   * happen; when it did, the marker says so. Rejects with the MultiError of the caller's ops.
   */
  async apply(ops: readonly Op[]): Promise<void> {
    const { env } = this;
    for (let attempt = 1; ; attempt++) {
      const marker = await this.ensure();
      const tag = env.newId();
      try {
        await env.client.multi([...ops, { type: 'setData', path: marker, data: tag }]);
        return;
      } catch (err) {
        if (err instanceof MultiError && err.failedOp === ops.length && attempt < env.maxAttempts) {
          this.ready = null; // someone deleted our marker: make another
          continue;
        }
        if (!isRetryable(err)) throw err;
        await recover(env, err, attempt, `write in ${this.dir}`, undefined, this.dir);
        if (await this.wrote(marker, tag)) return;
      }
    }
  }

  private async wrote(marker: string, tag: string): Promise<boolean> {
    const got = await withRetry(this.env, `read ${marker}`, () => unless(Code.NoNode, this.env.client.getData(marker)), marker);
    if (got === null) throw new RecipeError('NodeLost', marker, 'our write marker is gone: cannot tell whether the write happened');
    return got.data.toString('utf8') === tag;
  }
}
