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
  /** The provider URL (the same after offline() and online()), or null without a registry or before its first registration. */
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
  /** Null while offline (and without a registry). */
  registration: Registration | null;
  /** Its URL, kept while offline: online() registers the same one. */
  url: string | null;
  /** The registration time in the URL, fixed at export so the URL stays the same. */
  readonly timestamp: number;
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
  /** False between offline() and online(): exports are served but not registered. */
  private listed = true;
  /** Registry changes (offline, online, the unregister of shutdown) run one after another. */
  private registryTurn: Promise<unknown> = Promise.resolve();

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
    const entry: Exported = { svc, registration: null, url: null, timestamp: this.opts.clock.now() };
    this.exported.add(entry);
    try {
      await this.inTurn(() => this.register(entry));
    } catch (err) {
      this.exported.delete(entry);
      this.table.remove(svc);
      throw err;
    }
    return {
      service: svc.name,
      version: svc.version,
      group: svc.group,
      get url() {
        return entry.url;
      },
      unexport: () => this.unexport(entry),
    };
  }

  /** Whether the exports are registered: true unless offline() was called without online() after it. */
  get isOnline(): boolean {
    return this.listed;
  }

  /**
   * Dubbo's QoS `offline`: unregisters every provider URL of this server, so consumers stop
   * picking it within one watch event, while it keeps serving calls in flight and new direct
   * calls. Services exported while offline are served but not registered. Idempotent; rejects
   * once the server is shutting down or closed.
   */
  async offline(): Promise<void> {
    this.assertRunning('offline');
    this.listed = false;
    return this.inTurn(async () => {
      await Promise.all([...this.exported].map(async (e) => {
        const r = e.registration;
        e.registration = null;
        await r?.unregister();
      }));
      this.opts.logger.info({ services: this.exported.size }, 'rpc: provider offline (unregistered, still serving)');
    });
  }

  /**
   * Dubbo's QoS `online`: registers every export again under the same URL it had. Idempotent;
   * when a registration fails, calling it again registers those still missing.
   */
  async online(): Promise<void> {
    this.assertRunning('online');
    this.listed = true;
    return this.inTurn(async () => {
      await Promise.all([...this.exported].map((e) => this.register(e)));
      this.opts.logger.info({ services: this.exported.size }, 'rpc: provider online (registered)');
    });
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

  private assertRunning(what: string): void {
    if (this.stopping) throw new Error(`the provider is shutting down or closed; it cannot go ${what}`);
  }

  /** Runs `step` after the registry changes before it; a failed one does not stop the next. */
  private inTurn(step: () => Promise<void>): Promise<void> {
    const run = this.registryTurn.then(step, step);
    this.registryTurn = run.catch(() => undefined);
    return run;
  }

  /** Registers an export under its fixed timestamp; a no-op without a registry, offline, or when registered. Runs in turn. */
  private async register(entry: Exported): Promise<void> {
    const { registry, transport, advertiseHost } = this.opts;
    if (!registry || !this.listed || entry.registration !== null) return;
    const { svc } = entry;
    const registration = await registry.register({
      service: svc.name,
      protocol: transport,
      host: advertiseHost,
      port: this.port,
      version: svc.version,
      group: svc.group,
      weight: svc.weight,
      methods: [...svc.def.methods.keys()],
    }, { timestamp: entry.timestamp });
    entry.url = registration.url;
    // Gone offline, unexported or shut down while this registration ran: undo it.
    if (!this.listed || this.stopping || !this.exported.has(entry)) await registration.unregister();
    else entry.registration = registration;
  }

  private async unexport(entry: Exported): Promise<void> {
    if (!this.exported.delete(entry)) return;
    await entry.registration?.unregister();
    this.table.remove(entry.svc);
  }

  private unregisterAll(): Promise<void> {
    this.listed = false;
    return this.inTurn(async () => {
      await Promise.all([...this.exported].map((e) => e.registration?.unregister()));
    });
  }
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) return `an instance of ${value.constructor?.name ?? 'Object'}`;
  return String(value);
}
