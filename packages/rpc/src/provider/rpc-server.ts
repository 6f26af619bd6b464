import type { Registration } from '@paddock/registry';
import { findServiceDefinition } from '../contract/service.js';
import { TRANSPORTS } from '../transport/table/transport-table.js';
import type { ServerTransport } from '../transport/transport.js';
import { Dispatcher } from './dispatcher.js';
import { ExportedService, type ExportOptions } from './exported-service.js';
import { createServerTransport, resolveServerOptions, type ResolvedServerOptions, type RpcServerOptions } from './server-options.js';
import { ServiceTable } from './service-table.js';

export interface ExportHandle {
  readonly service: string;
  readonly version: string;
  readonly group: string;
  /** The registered provider URL, or null without a registry. */
  readonly url: string | null;
  /** Unregisters and stops serving the service (calls already running finish). */
  unexport(): Promise<void>;
}

export interface ShutdownOptions {
  /** How long to keep serving after unregistering, so consumers see the provider go; default 2000 ms with a registry, else 0. */
  readonly graceMs?: number;
  /** Bound on waiting for calls in flight to finish; after it connections are closed anyway. Default 10000 ms. */
  readonly drainMs?: number;
}

interface Exported {
  readonly svc: ExportedService;
  registration: Registration | null;
}

/**
 * A provider: listens on one transport, serves the services exported to it, registers them
 * when given a registry, and shuts down without failing calls:
 *
 *   unregister → wait graceMs (consumers see it go) → stop accepting connections and tell
 *   consumers to send no new calls (GOAWAY) → finish the calls in flight, including those sent
 *   before the consumer saw GOAWAY (≤ drainMs) → refuse anything still arriving with
 *   SHUTTING_DOWN (retryable, never run) → close
 */
export class RpcServer {
  private readonly table = new ServiceTable();
  private readonly dispatcher: Dispatcher;
  private readonly exported = new Set<Exported>();
  private stopping: Promise<void> | null = null;

  private constructor(private readonly opts: ResolvedServerOptions, private readonly transport: ServerTransport) {
    this.dispatcher = new Dispatcher(this.table, opts.clock, opts.exposeStack);
  }

  static async start(options: RpcServerOptions): Promise<RpcServer> {
    const opts = resolveServerOptions(options);
    const { host, port, logger } = opts;
    const transport = createServerTransport(opts);
    const server = new RpcServer(opts, transport);
    await transport.listen(server.dispatcher);
    logger.info({ host, port: transport.port, transport: opts.transport }, 'rpc: provider listening');
    return server;
  }

  get port(): number {
    return this.transport.port;
  }

  /** Where consumers reach it (the advertised host) in its transport's address form: host:port on tcp, http://host:port on http. */
  get address(): string {
    return TRANSPORTS[this.opts.transport].address(this.opts.advertiseHost, this.port);
  }

  get connectionCount(): number {
    return this.transport.connectionCount;
  }

  /** Calls running now over all services. */
  get running(): number {
    return this.dispatcher.running;
  }

  /**
   * Serves `impl` as the service its class (or the nearest base class) declares with
   * `@Service`. Calls are served at once; with a registry, resolves once the provider URL is
   * registered (and rejects, unexporting, when it cannot be).
   */
  async export(impl: object, options: ExportOptions = {}): Promise<ExportHandle> {
    if (this.stopping) throw new Error('the provider is shutting down; nothing can be exported');
    const def = typeof impl === 'object' && impl !== null ? findServiceDefinition(impl) : undefined;
    if (def === undefined) throw new TypeError(`cannot export ${describe(impl)}: neither its class nor a base class has @Service`);
    const svc = new ExportedService(def, impl, options);
    this.table.add(svc);
    const entry: Exported = { svc, registration: null };
    this.exported.add(entry);
    try {
      entry.registration = await this.register(svc);
    } catch (err) {
      this.exported.delete(entry);
      this.table.remove(svc);
      throw err;
    }
    return {
      service: svc.name,
      version: svc.version,
      group: svc.group,
      url: entry.registration?.url ?? null,
      unexport: () => this.unexport(entry),
    };
  }

  /** Graceful shutdown (see the class comment); the same promise on every call. */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    this.stopping ??= this.stop(options);
    return this.stopping;
  }

  /** Closes at once: calls in flight get no answer (consumers see NETWORK). */
  async close(): Promise<void> {
    this.stopping ??= (async () => {
      this.dispatcher.refusing = true;
      await this.unregisterAll();
      await this.transport.close();
    })();
    return this.stopping;
  }

  private async stop(options: ShutdownOptions): Promise<void> {
    const { clock, logger, registry } = this.opts;
    const graceMs = options.graceMs ?? (registry ? 2000 : 0);
    const drainMs = options.drainMs ?? 10_000;
    logger.info({ graceMs, drainMs }, 'rpc: provider shutting down');
    await this.unregisterAll();
    if (graceMs > 0) await new Promise<void>((resolve) => clock.setTimeout(resolve, graceMs, undefined));
    let timer: unknown = null;
    const late = new Promise<boolean>((resolve) => {
      timer = clock.setTimeout(resolve, drainMs, false);
    });
    const drained = await Promise.race([this.transport.drain().then(() => true), late]);
    clock.clearTimeout(timer);
    if (!drained) logger.warn({ running: this.dispatcher.running }, 'rpc: calls still running after drainMs; closing anyway');
    this.dispatcher.refusing = true;
    await this.transport.close();
    logger.info({}, 'rpc: provider closed');
  }

  private async register(svc: ExportedService): Promise<Registration | null> {
    const { registry, transport, advertiseHost } = this.opts;
    if (!registry) return null;
    return registry.register({
      service: svc.name,
      protocol: transport,
      host: advertiseHost,
      port: this.port,
      version: svc.version,
      group: svc.group,
      weight: svc.weight,
      methods: [...svc.def.methods.keys()],
    });
  }

  private async unexport(entry: Exported): Promise<void> {
    if (!this.exported.delete(entry)) return;
    await entry.registration?.unregister();
    this.table.remove(entry.svc);
  }

  private async unregisterAll(): Promise<void> {
    await Promise.all([...this.exported].map((e) => e.registration?.unregister()));
  }
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) return `an instance of ${value.constructor?.name ?? 'Object'}`;
  return String(value);
}
