import { EventEmitter } from 'node:events';
import type { Provider } from '@paddock/registry';
import type { Logger } from '@paddock/edges';
import { RpcError } from '../call/rpc-error.js';
import type { ProviderAddress } from '../transport/table/provider-address.js';
import { isTransportName } from '../transport/table/transport-table.js';
import type { CallTarget } from '../transport/transport.js';
import type { DirectoryEvents, Directory } from './directory.js';
import { EndpointInvoker } from './endpoint-invoker.js';
import type { EndpointPool } from './endpoint-pool.js';

type ProvidersListener = (providers: readonly Provider[]) => void;

/** What the directory reads of a registry subscription (a `Subscription` fits). */
export interface ProviderList {
  readonly providers: readonly Provider[];
  on(event: 'change', listener: ProvidersListener): unknown;
  off(event: 'change', listener: ProvidersListener): unknown;
  close(): Promise<void>;
}

/** What the directory asks of a registry (a `Registry` fits; unit tests pass an in-memory one). */
export interface ProviderDiscovery {
  discover(service: string, filter: CallTarget): Promise<ProviderList>;
}

/** How the directory gets connections (the client's EndpointPool, shared by its references). */
export type EndpointSource = Pick<EndpointPool, 'acquire' | 'release'>;

/** Bound on the providers one reference follows (the registry is tested with 10,000 per service). */
export const MAX_PROVIDERS = 10_000;

const EMPTY: readonly EndpointInvoker[] = Object.freeze([]);

/**
 * The invokers of one reference, following the registry (Dubbo's RegistryDirectory): one
 * `discover(service, { version, group })` subscription, one EndpointInvoker per provider URL.
 *
 * - An unchanged provider keeps its invoker (and so its connection and counters); a new weight
 *   from a configurator override is written into it.
 * - A removed provider leaves the list at once; its connection is released once the calls in
 *   flight on it have finished.
 * - A dropped connection makes its invoker unavailable at once (the endpoint's state), long
 *   before the registry notices the provider's session is gone; `change` tells the cluster.
 * - The list never empties because of a coordination outage: the subscription keeps the last
 *   good list, and only the server saying "no providers" empties it.
 */
export class RegistryDirectory extends EventEmitter<DirectoryEvents> implements Directory {
  private list: readonly EndpointInvoker[] = EMPTY;
  private byUrl = new Map<string, EndpointInvoker>();
  /** Removed from the list, waiting for their calls in flight. */
  private readonly retiring = new Set<EndpointInvoker>();
  /** The provider whose endpoint each invoker holds. */
  private readonly pooled = new Map<EndpointInvoker, ProviderAddress>();
  private subscription: ProviderList | null = null;
  private subscribing: Promise<void> | null = null;
  private closed = false;
  private readonly onState = (): void => {
    if (!this.closed) this.emit('change', this.list);
  };
  private readonly onProviders = (providers: readonly Provider[]): void => {
    this.update(providers);
  };

  constructor(
    readonly service: string,
    private readonly registry: ProviderDiscovery,
    private readonly pool: EndpointSource,
    private readonly target: CallTarget,
    private readonly logger: Logger,
  ) {
    super();
    this.subscribe().catch(() => {}); // a failure is reported by ready(), which tries again
  }

  get invokers(): readonly EndpointInvoker[] {
    return this.list;
  }

  /** Resolves once the first list is known and each of its providers has had a first chance to connect. */
  async ready(): Promise<void> {
    await this.subscribe();
    await Promise.all(this.list.map((i) => i.endpoint.ready()));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const sub = this.subscription;
    this.subscription = null;
    if (sub !== null) {
      sub.off('change', this.onProviders);
      sub.close().catch((err: unknown) => this.logger.warn({ service: this.service, err: String(err) }, 'rpc: closing the discovery subscription failed'));
    }
    for (const inv of this.byUrl.values()) this.release(inv);
    for (const inv of [...this.retiring]) this.release(inv);
    this.byUrl.clear();
    this.list = EMPTY;
  }

  private subscribe(): Promise<void> {
    if (this.subscription !== null || this.closed) return Promise.resolve();
    this.subscribing ??= this.registry.discover(this.service, this.target).then(
      (sub) => {
        this.subscribing = null;
        if (this.closed) {
          void sub.close().catch(() => {});
          return;
        }
        this.subscription = sub;
        sub.on('change', this.onProviders);
        this.update(sub.providers);
      },
      (err: unknown) => {
        this.subscribing = null;
        throw new RpcError('NO_PROVIDER', `discovery of ${this.service} through the registry failed: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
    return this.subscribing;
  }

  /** Diffs the registry's list against the invokers by URL; emits `change` only when something differs. */
  private update(providers: readonly Provider[]): void {
    if (this.closed) return;
    if (providers.length > MAX_PROVIDERS) {
      this.logger.warn({ service: this.service, providers: providers.length }, `rpc: following only the first ${MAX_PROVIDERS} providers`);
    }
    const next = new Map<string, EndpointInvoker>();
    let changed = false;
    const n = Math.min(providers.length, MAX_PROVIDERS);
    for (let i = 0; i < n; i++) {
      const p = providers[i] as Provider;
      let inv = this.byUrl.get(p.url);
      if (inv === undefined) {
        const opened = this.open(p);
        if (opened === undefined) continue;
        inv = opened;
        changed = true;
      } else if (inv.weight !== p.weight) {
        inv.weight = p.weight;
        changed = true;
      }
      next.set(p.url, inv);
    }
    for (const [url, inv] of this.byUrl) {
      if (next.has(url)) continue;
      this.retire(inv);
      changed = true;
    }
    this.byUrl = next;
    if (!changed) return;
    this.list = Object.freeze([...next.values()]);
    this.logger.debug({ service: this.service, providers: this.list.length }, 'rpc: provider list changed');
    this.emit('change', this.list);
  }

  /** An invoker on the provider's endpoint, its transport named by the URL's protocol; a provider announcing another is left out. */
  private open(p: Provider): EndpointInvoker | undefined {
    if (!isTransportName(p.protocol)) {
      this.logger.warn({ service: this.service, provider: p.url }, `rpc: no transport for protocol ${p.protocol}; provider left out`);
      return undefined;
    }
    const at: ProviderAddress = { protocol: p.protocol, host: p.host, port: p.port };
    const endpoint = this.pool.acquire(at);
    endpoint.on('state', this.onState);
    const inv = new EndpointInvoker(p.url, endpoint, this.target, p.weight, p.timestamp);
    this.pooled.set(inv, at);
    return inv;
  }

  /** Leaves the connection to the calls in flight; releases it when the last one finishes. */
  private retire(inv: EndpointInvoker): void {
    if (inv.active === 0) {
      this.release(inv);
      return;
    }
    this.retiring.add(inv);
    inv.onIdle = () => this.release(inv);
  }

  private release(inv: EndpointInvoker): void {
    inv.onIdle = null;
    this.retiring.delete(inv);
    const at = this.pooled.get(inv);
    if (at === undefined) return;
    this.pooled.delete(inv);
    inv.endpoint.off('state', this.onState);
    this.pool.release(at);
  }
}
