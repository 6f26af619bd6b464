import { EventEmitter } from 'node:events';
import type { Invoker } from '../call/invoker.js';
import { DEFAULT_WEIGHT } from '@paddock/registry';
import type { ProviderAddress } from '../transport/table/provider-address.js';
import type { CallTarget } from '../transport/transport.js';
import { EndpointInvoker } from './endpoint-invoker.js';
import type { EndpointPool } from './endpoint-pool.js';

export interface DirectoryEvents {
  /** The list changed, or the availability of one of its invokers did. */
  change: [invokers: readonly Invoker[]];
}

/**
 * The invokers a reference chooses from (Dubbo's Directory): a static list of addresses, or a
 * registry subscription (RegistryDirectory), producing the same thing: a current list and
 * change events.
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

/** A provider of a static list: the address as the reference was given it (its invoker's id) and what it names. */
export interface StaticProvider {
  readonly id: string;
  readonly at: ProviderAddress;
}

export class StaticDirectory extends EventEmitter<DirectoryEvents> implements Directory {
  readonly invokers: readonly EndpointInvoker[];
  private readonly onState = (): void => {
    this.emit('change', this.invokers);
  };
  private closed = false;

  constructor(readonly service: string, private readonly providers: readonly StaticProvider[], private readonly pool: EndpointPool, target: CallTarget) {
    super();
    this.invokers = Object.freeze(providers.map((p) => new EndpointInvoker(p.id, pool.acquire(p.at), target, DEFAULT_WEIGHT)));
    for (const inv of this.invokers) inv.endpoint.on('state', this.onState);
  }

  ready(): Promise<void> {
    return Promise.all(this.invokers.map((i) => i.endpoint.ready())).then(() => undefined);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const inv of this.invokers) inv.endpoint.off('state', this.onState);
    for (const p of this.providers) this.pool.release(p.at);
  }
}
