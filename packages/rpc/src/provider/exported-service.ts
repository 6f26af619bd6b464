import type { ServiceDefinition } from '../contract/service-definition.js';

type AnyMethod = (...args: unknown[]) => unknown;

export interface ExportOptions {
  /** Calls of this service running at once; beyond it calls fail with PROVIDER_BUSY. Default 10000. */
  readonly executes?: number;
  /** Relative share of traffic announced in the registry; default 100. */
  readonly weight?: number;
}

const DEFAULT_EXECUTES = 10_000;

/** One exported implementation: its definition, its methods looked up once, and its running count. */
export class ExportedService {
  readonly executes: number;
  readonly weight: number | undefined;
  /** Calls running now. */
  active = 0;
  private readonly methods = new Map<string, AnyMethod>();

  constructor(readonly def: ServiceDefinition, readonly impl: object, opts: ExportOptions = {}) {
    const executes = opts.executes ?? DEFAULT_EXECUTES;
    if (!Number.isInteger(executes) || executes < 1) throw new TypeError(`export ${def.name}: executes must be a positive integer, got ${String(opts.executes)}`);
    this.executes = executes;
    this.weight = opts.weight;
    const className = impl.constructor?.name ?? 'the implementation';
    for (const name of def.methods.keys()) {
      const fn = (impl as Record<string, unknown>)[name];
      if (typeof fn !== 'function') throw new TypeError(`${className} does not implement ${def.name}.${name}`);
      this.methods.set(name, fn as AnyMethod);
    }
  }

  get name(): string {
    return this.def.name;
  }

  get version(): string {
    return this.def.version;
  }

  get group(): string {
    return this.def.group;
  }

  /** Only the contract's methods are callable, never other members of the object. */
  method(name: string): AnyMethod | undefined {
    return this.methods.get(name);
  }
}
