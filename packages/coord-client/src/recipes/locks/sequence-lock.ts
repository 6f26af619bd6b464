import { EventEmitter } from 'node:events';
import { Code, CreateMode, WatcherType, baseName, joinPath } from '@paddock/coord-protocol';
import { isTerminal } from '../../states.js';
import type { Data } from '../../types.js';
import { removeOwned } from '../common/cleanup.js';
import { Deadline, TIMED_OUT } from '../common/deadline.js';
import { checkTimeout, type RecipeEnv } from '../common/env.js';
import { RecipeError } from '../common/errors.js';
import { nextNodeEvent } from '../common/node-event.js';
import { createProtected } from '../common/protected-create.js';
import { asRecipeFailure, recover, unless } from '../common/retry.js';
import { protectedPrefix, sortBySequence, sortKey } from '../common/sequence-names.js';
import { isConnected, sessionLost, waitForEvent, watchSession } from '../common/session.js';
import type { LockKind } from './wait-rules.js';

export interface AcquireOptions {
  /** Give up after this many ms: acquire() resolves false and our node is removed. Default: wait. */
  readonly timeoutMs?: number;
}

/**
 * What a holder hears while it holds the lock: `suspended` when the connection drops (the lock
 * may be lost: act as if it were until `reconnected`), `reconnected` when the same session
 * still owns our node, `lost` when it is gone for sure (session ended, node deleted).
 */
export type LockEvents = { suspended: []; reconnected: []; lost: [reason: RecipeError] };

/**
 * The lock algorithm shared by Lock and the two halves of ReadWriteLock, Curator's
 * LockInternals: each contender creates a protected ephemeral-sequential node named as Curator
 * names it and waits, with a getData watch, for the one node its wait rule names. The object
 * is the holder: acquiring it again while held only counts up.
 */
export class SequenceLock extends EventEmitter<LockEvents> {
  private node: string | null = null;
  private count = 0;
  private lostReason: RecipeError | null = null;
  private pending: Promise<boolean> | null = null;
  private stopMonitor: (() => void) | null = null;

  constructor(
    protected readonly env: RecipeEnv,
    /** The lock's directory; contenders are its children. */
    readonly path: string,
    private readonly kind: LockKind,
    private readonly data: Data | undefined,
    /**
     * The write node our holder holds, if any (read locks only). Then the read lock goes at once,
     * as Curator's does, and its node takes that write node's sequence (as Curator does since
     * 5.5, CURATOR-621): a writer queued behind our write lock stays behind our read lock.
     */
    private readonly heldWrite: () => string | null = () => null,
  ) {
    super();
  }

  get isHeld(): boolean {
    return this.node !== null;
  }

  /** acquire() calls not yet matched by release(). */
  get holdCount(): number {
    return this.count;
  }

  /** Our node while held. */
  get nodePath(): string | null {
    return this.node;
  }

  /** Resolves true once held, false when `timeoutMs` passed first; rejects with SessionLost and the like. */
  async acquire(opts: AcquireOptions = {}): Promise<boolean> {
    const deadline = Deadline.after(this.env.clock, checkTimeout(opts?.timeoutMs));
    try {
      for (;;) {
        if (this.node !== null) {
          this.count++;
          return true;
        }
        if (deadline.expired) return false;
        if (this.pending === null) {
          // Our own attempt honours our deadline and cleans up before it resolves false.
          this.pending = this.attempt(deadline).finally(() => { this.pending = null; });
          if (!(await this.pending)) return false;
        } else if ((await deadline.race(this.pending)) === TIMED_OUT) {
          return false;
        }
      }
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Counts down; the last release deletes our node, which wakes exactly the contenders waiting
   * on it. After the lock was lost (reported by 'lost') it resolves: nothing is left to free.
   */
  async release(): Promise<void> {
    const own = this.node;
    if (own === null) {
      if (this.lostReason !== null) return;
      throw new RecipeError('NotHeld', this.path);
    }
    if (--this.count > 0) return;
    this.node = null;
    this.stopMonitor?.();
    this.stopMonitor = null;
    await removeOwned(this.env, { path: own });
  }

  /** Contender node names in queue order (the holder or holders first). */
  async participants(): Promise<string[]> {
    const names = await unless(Code.NoNode, this.env.client.getChildren(this.path));
    return sortBySequence(names ?? [], this.kind.sortNames).map((n) => n.name);
  }

  private async attempt(deadline: Deadline): Promise<boolean> {
    const { env } = this;
    const { lockName, sortNames } = this.kind;
    const prefix = protectedPrefix(env.newId());
    const write = this.heldWrite();
    let own: string | null = null;
    try {
      const name = write === null ? lockName : lockName + sortKey(baseName(write), sortNames);
      own = await createProtected(env, this.path, prefix, name, this.data, write === null ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.EPHEMERAL, deadline);
      if (own !== null && (write !== null || (await this.waitTurn(own, deadline)))) {
        this.hold(own);
        return true;
      }
    } catch (err) {
      await removeOwned(env, own !== null ? { path: own } : { dir: this.path, prefix }).catch(() => undefined);
      throw err;
    }
    await removeOwned(env, own !== null ? { path: own } : { dir: this.path, prefix });
    return false;
  }

  /** True once our node is first by the wait rule; false at the deadline. */
  private async waitTurn(own: string, deadline: Deadline): Promise<boolean> {
    const { env } = this;
    const name = baseName(own);
    for (let attempt = 1; ;) {
      if (deadline.expired) return false;
      try {
        const sorted = sortBySequence(await env.client.getChildren(this.path), this.kind.sortNames);
        const index = sorted.findIndex((n) => n.name === name);
        if (index < 0) throw new RecipeError('NodeLost', own, 'our lock node disappeared while waiting');
        const blocker = this.kind.waitFor(sorted, index);
        if (blocker === null) return true;
        // Watch that one node only; getData (not exists) leaves no watch behind when it is already gone.
        const blockerPath = joinPath(this.path, blocker);
        const { watcher, fired } = nextNodeEvent();
        if ((await unless(Code.NoNode, env.client.getData(blockerPath, watcher))) === null) continue;
        if ((await waitForEvent(env, fired, deadline, this.path)) === 'timeout') {
          env.client.removeWatches(blockerPath, WatcherType.Data, watcher, true).catch(() => undefined);
          return false;
        }
        attempt = 1;
      } catch (err) {
        if (err instanceof RecipeError) throw err;
        await recover(env, err, attempt++, `wait for the lock ${this.path}`, deadline, this.path);
      }
    }
  }

  private hold(own: string): void {
    const { client } = this.env;
    if (isTerminal(client.state)) throw sessionLost(client, this.path);
    this.node = own;
    this.lostReason = null;
    this.stopMonitor = watchSession(client, {
      suspended: () => this.emit('suspended'),
      resumed: () => void this.verify(own),
      // Given up before the server deletes our node and lets the next holder in.
      closing: (err) => this.markLost(own, err),
      ended: (err) => this.markLost(own, err),
    }, this.path);
    // The connection may have dropped between our last read and now.
    if (!isConnected(client.state)) queueMicrotask(() => { if (this.node === own) this.emit('suspended'); });
  }

  /** After a reconnect: is our node still there, owned by this session? */
  private async verify(own: string): Promise<void> {
    const { client } = this.env;
    try {
      const stat = await client.exists(own);
      if (this.node !== own) return;
      if (stat === null || stat.ephemeralOwner !== client.sessionId) this.markLost(own, new RecipeError('NodeLost', own));
      else this.emit('reconnected');
    } catch (err) {
      // ConnectionLoss: the next reconnect verifies again.
      const failure = asRecipeFailure(this.env, err, this.path);
      if (failure instanceof RecipeError) this.markLost(own, failure);
    }
  }

  private markLost(own: string, reason: RecipeError): void {
    if (this.node !== own) return;
    this.node = null;
    this.count = 0;
    this.lostReason = reason;
    this.stopMonitor?.();
    this.stopMonitor = null;
    this.emit('lost', reason);
  }
}
