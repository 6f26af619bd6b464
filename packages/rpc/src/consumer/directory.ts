import { EventEmitter } from 'node:events';
import type { Invoker } from '../call/invoker.js';
import { DEFAULT_WEIGHT } from '@paddock/registry';
import type { CallTarget } from '../transport/transport.js';
import { EndpointInvoker } from './endpoint-invoker.js';
import type { EndpointPool } from './endpoint-pool.js';

export interface DirectoryEvents {
  /** The list changed, or the availability of one of its invokers did. */
  change: [invokers: readonly Invoker[]];
}

/**
 * The invokers a reference chooses from (Dubbo's Directory). A static list of addresses now;
 * a registry subscription next, producing the same thing: a current list and change events.
 */
export interface Directory extends EventEmitter<DirectoryEvents> {
  readonly service: string;
  readonly invokers: readonly Invoker[];
  /** Resolves once every invoker has had its first chance to connect. */
  ready(): Promise<void>;
  close(): void;
}

/** Bound on a static list. */
export const MAX_ADDRESSES = 1000;

export class StaticDirectory extends EventEmitter<DirectoryEvents> implements Directory {
  readonly invokers: readonly EndpointInvoker[];
  private readonly onState = (): void => {
    this.emit('change', this.invokers);
  };
  private closed = false;

  constructor(readonly service: string, private readonly addresses: readonly string[], private readonly pool: EndpointPool, target: CallTarget) {
    super();
    this.invokers = Object.freeze(addresses.map((a) => new EndpointInvoker(a, pool.acquire(a), target, DEFAULT_WEIGHT)));
    for (const inv of this.invokers) inv.endpoint.on('state', this.onState);
  }

  ready(): Promise<void> {
    return Promise.all(this.invokers.map((i) => i.endpoint.ready())).then(() => undefined);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const inv of this.invokers) inv.endpoint.off('state', this.onState);
    for (const a of this.addresses) this.pool.release(a);
  }
}
