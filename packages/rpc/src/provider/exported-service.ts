import { OptionError } from '@paddock/edges';
import { serviceIdentity } from '../contract/service.js';
import type { ServiceDefinition } from '../contract/service-definition.js';

type AnyMethod = (...args: unknown[]) => unknown;

export interface ExportOptions {
  /** Calls of this service running at once; beyond it calls fail with PROVIDER_BUSY. Default 10000. */
  readonly executes?: number;
  /** Relative share of traffic announced in the registry; default 100. */
  readonly weight?: number;
  /**
   * The exact version served, instead of the one `@Service` gives: one class can serve 1.2.0
   * and 1.3.0 side by side. Default: the contract's version.
   */
  readonly version?: string;
  /** The group served, instead of the one `@Service` gives (a canary group, say). Default: the contract's group. */
  readonly group?: string;
}

const DEFAULT_EXECUTES = 10_000;

/** One exported implementation: its definition, its methods looked up once, and its running count. */
export class ExportedService {
  /** What this export serves: the contract's version and group unless the options name others. */
  readonly version: string;
  readonly group: string;
  readonly executes: number;
  readonly weight: number | undefined;
  /** Calls running now. */
  active = 0;
  private readonly methods = new Map<string, AnyMethod>();

  constructor(readonly def: ServiceDefinition, readonly impl: object, opts: ExportOptions = {}) {
    ({ version: this.version, group: this.group } = servedAs(def, opts));
    const executes = opts.executes ?? DEFAULT_EXECUTES;
    if (!Number.isInteger(executes) || executes < 1) {
      throw new OptionError('executes', opts.executes, { message: `export ${def.name}: executes must be a positive integer, got ${String(opts.executes)}` });
    }
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

  /** Only the contract's methods are callable, never other members of the object. */
  method(name: string): AnyMethod | undefined {
    return this.methods.get(name);
  }
}

/** The version and group an export serves: the contract's, or those the options name (checked as `@Service` checks them). */
function servedAs(def: ServiceDefinition, opts: ExportOptions): { version: string; group: string } {
  if (opts.version === undefined && opts.group === undefined) return def;
  return serviceIdentity(`export ${def.name}`, def.name, opts.version ?? def.version, opts.group ?? def.group);
}
