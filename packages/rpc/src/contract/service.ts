import 'reflect-metadata';
import { RegistryError, resolveInstance, type RegistryErrorCode } from '@paddock/registry';
import { OptionError } from '@paddock/edges';
import { checkTimeout } from './call-timeout.js';
import type { Contract } from './contract-types.js';
import type { MethodDefinition, MethodOptions, MethodSpec, ServiceDefinition, ServiceOptions } from './service-definition.js';

/**
 * `@Service` and `@Method`, stored with reflect-metadata. Nothing here reads design-time type
 * metadata (`emitDecoratorMetadata`): method names come from the `methods` list or, without
 * one, from the decorated class's own prototype; per-method options from `@Method` or the list.
 * The definition is computed and validated once, when the class is defined.
 *
 * Both of TypeScript's decorator forms work, told apart at runtime by their second argument:
 * standard decorators (TypeScript 5's default) pass a context object, legacy ones
 * (`experimentalDecorators`) the property key, or nothing for a class. A standard method
 * decorator sees the function, not the prototype, so its options go on the function itself;
 * the class decorator, which runs after the methods are defined, finds them there.
 */

// Symbol.for: a copy of this module loaded twice (src and dist) still finds the same metadata.
const SERVICE_KEY = Symbol.for('paddock.rpc.service');
const METHOD_KEY = Symbol.for('paddock.rpc.method');
/** The option a refusal of the registry's rules is about, in serviceIdentity. */
const OPTION_OF_CODE: Partial<Record<RegistryErrorCode, string>> = {
  INVALID_SERVICE: 'name', INVALID_VERSION: 'version', INVALID_GROUP: 'group', INVALID_METHODS: 'methods',
};
/** A proxy with a `then` method would be a thenable: awaiting it would call the provider. */
const FORBIDDEN_METHODS: ReadonlySet<string> = new Set(['then', 'constructor']);

/** What `@Service(...)` returns: a class decorator in either form (the context comes with standard decorators). */
export type ServiceDecorator = <C extends Contract<object>>(target: C, context?: ClassDecoratorContext) => void;

/** What `@Method(...)` returns: a method decorator in either form. */
export interface MethodDecorator {
  /** Legacy (`experimentalDecorators`): the prototype, the method's name and its descriptor. */
  (target: object, key: string | symbol, descriptor: PropertyDescriptor): void;
  /** Standard (TypeScript 5's default): the method and its context. */
  (method: (...args: never[]) => unknown, context: ClassMethodDecoratorContext): void;
}

/** A standard decorator's context, which a legacy decorator's second argument never is. */
function isDecoratorContext(x: unknown): x is DecoratorContext {
  return typeof x === 'object' && x !== null && 'kind' in x;
}

export function Service(options: ServiceOptions): ServiceDecorator {
  return (target) => {
    Reflect.defineMetadata(SERVICE_KEY, defineService(target, options), target);
  };
}

export function Method(options: MethodOptions = {}): MethodDecorator {
  return (target: object, keyOrContext: string | symbol | ClassMethodDecoratorContext, descriptor?: PropertyDescriptor): void => {
    if (isDecoratorContext(keyOrContext)) {
      const where = String(keyOrContext.name);
      if (keyOrContext.kind !== 'method' || typeof target !== 'function') throw new TypeError(`@Method on ${where}: only methods can be decorated`);
      checkMethodOptions(options, where);
      Reflect.defineMetadata(METHOD_KEY, options, target);
      return;
    }
    const where = `${(target as { constructor: { name: string } }).constructor.name}.${String(keyOrContext)}`;
    if (typeof keyOrContext !== 'string' || typeof descriptor?.value !== 'function') throw new TypeError(`@Method on ${where}: only methods can be decorated`);
    checkMethodOptions(options, where);
    Reflect.defineMetadata(METHOD_KEY, options, target, keyOrContext);
  };
}

/** `@Method`'s options for a method of `proto`: on the prototype (legacy) or on the function (standard). */
function decoratedOptions(proto: object, name: string): MethodOptions | undefined {
  const legacy = Reflect.getOwnMetadata(METHOD_KEY, proto, name) as MethodOptions | undefined;
  if (legacy !== undefined) return legacy;
  const fn: unknown = Object.getOwnPropertyDescriptor(proto, name)?.value;
  return typeof fn === 'function' ? (Reflect.getOwnMetadata(METHOD_KEY, fn) as MethodOptions | undefined) : undefined;
}

/** The definition `@Service` recorded on a contract or a base class of it; throws a TypeError naming the class without one. */
export function serviceDefinition(contract: Contract<object>): ServiceDefinition {
  const def = typeof contract === 'function' ? (Reflect.getMetadata(SERVICE_KEY, contract) as ServiceDefinition | undefined) : undefined;
  if (def === undefined) throw new TypeError(`${describeClass(contract)} has no @Service: decorate the contract class with @Service({ version, methods })`);
  return def;
}

/** The definition for an implementation object: on its class or the nearest base class carrying `@Service`. */
export function findServiceDefinition(impl: object): ServiceDefinition | undefined {
  const ctor = (impl as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' ? (Reflect.getMetadata(SERVICE_KEY, ctor) as ServiceDefinition | undefined) : undefined;
}

/**
 * A service's name, version and group (and method names), checked by the registry's own rules
 * for provider URLs; a bad one is an OptionError from `where` naming it.
 */
export function serviceIdentity(
  where: string, service: string, version: string | undefined, group: string | undefined, methods?: string[],
): ReturnType<typeof resolveInstance> {
  try {
    return resolveInstance({ service, protocol: 'tcp', host: '127.0.0.1', port: 1, version: version as string, group, ...(methods ? { methods } : {}) });
  } catch (err) {
    if (err instanceof RegistryError) throw new OptionError(OPTION_OF_CODE[err.code] ?? 'service', err.value, { message: `${where}: ${err.message}` });
    throw err;
  }
}

function defineService(target: Contract<object>, options: ServiceOptions): ServiceDefinition {
  const where = `@Service on ${describeClass(target)}`;
  if (typeof options !== 'object' || options === null) throw new OptionError('options', options, { message: `${where}: options must be an object with at least a version` });
  const specs = options.methods === undefined ? ownMethods(target, where) : listedMethods(target, options.methods, where);
  const resolved = serviceIdentity(where, options.name ?? target.name, options.version, options.group, [...specs.keys()]);
  const methods = new Map<string, MethodDefinition>();
  for (const [method, listed] of specs) {
    const decorated = decoratedOptions(target.prototype as object, method);
    const merged = { ...decorated, ...listed };
    checkMethodOptions(merged, `${target.name}.${method}`);
    methods.set(method, Object.freeze({ name: method, idempotent: merged.idempotent ?? false, timeout: merged.timeout }));
  }
  return Object.freeze({ name: resolved.service, version: resolved.version, group: resolved.group, methods, declaredOn: target.name });
}

/** The methods of a `methods` list, with their listed options. */
function listedMethods(target: Contract<object>, list: readonly MethodSpec[], where: string): Map<string, MethodOptions> {
  if (!Array.isArray(list) || list.length === 0) throw new OptionError('methods', list, { message: `${where}: methods must be a non-empty array` });
  const out = new Map<string, MethodOptions>();
  for (const spec of list) {
    const name = typeof spec === 'string' ? spec : spec?.name;
    if (typeof name !== 'string') throw new OptionError('methods', spec, { message: `${where}: a methods entry must be a name or { name, idempotent?, timeout? }` });
    if (out.has(name)) throw new TypeError(`${where}: method ${name} is listed twice`);
    checkMethodName(name, where);
    out.set(name, typeof spec === 'string' ? {} : listedOptions(spec));
  }
  for (const name of Object.getOwnPropertyNames(target.prototype)) {
    if (!out.has(name) && decoratedOptions(target.prototype as object, name) !== undefined) {
      throw new TypeError(`${where}: ${name} has @Method but is not in the methods list`);
    }
  }
  return out;
}

function listedOptions(spec: MethodOptions): MethodOptions {
  const o: { idempotent?: boolean; timeout?: number } = {};
  if (spec.idempotent !== undefined) o.idempotent = spec.idempotent;
  if (spec.timeout !== undefined) o.timeout = spec.timeout;
  return o;
}

/** Without a list: the functions defined on the class's own prototype. */
function ownMethods(target: Contract<object>, where: string): Map<string, MethodOptions> {
  const out = new Map<string, MethodOptions>();
  const proto = target.prototype as object;
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor') continue;
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (d === undefined || typeof d.value !== 'function') continue;
    checkMethodName(name, where);
    out.set(name, {});
  }
  if (out.size === 0) {
    throw new TypeError(`${where}: no methods found; abstract methods leave no trace at runtime, so list them: @Service({ version, methods: ['hello'] })`);
  }
  return out;
}

function checkMethodName(name: string, where: string): void {
  if (FORBIDDEN_METHODS.has(name)) throw new TypeError(`${where}: a method may not be called ${name} (the consumer's proxy would be a thenable or lose its constructor)`);
}

function checkMethodOptions(o: MethodOptions, where: string): void {
  if (typeof o !== 'object' || o === null) throw new OptionError('options', o, { message: `${where}: method options must be an object` });
  if (o.idempotent !== undefined && typeof o.idempotent !== 'boolean') throw new OptionError('idempotent', o.idempotent, { message: `${where}: idempotent must be a boolean` });
  if (o.timeout !== undefined) checkTimeout(o.timeout, where);
}

function describeClass(c: unknown): string {
  return typeof c === 'function' && c.name ? c.name : String(c);
}
