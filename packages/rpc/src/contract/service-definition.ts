/** Per-method options, from `@Method({...})` or an entry of `@Service({ methods })`. */
export interface MethodOptions {
  /** Safe to run twice: the failover cluster may retry it on another provider after a retryable error. */
  readonly idempotent?: boolean;
  /** Default timeout of calls to this method, in ms (a reference's or a call's own timeout wins). */
  readonly timeout?: number;
}

/** A `methods` entry: a name, or a name with options. */
export type MethodSpec = string | (MethodOptions & { readonly name: string });

export interface ServiceOptions {
  /** The service's name in URLs and on the wire; default the class name. */
  readonly name?: string;
  /** The contract's semantic version, e.g. 1.2.0 (exact: providers export this version). */
  readonly version: string;
  /** Default "default". */
  readonly group?: string;
  /**
   * The methods of the contract. Required on an abstract class: abstract methods leave no trace
   * at runtime. When given it is the whole contract; when left out, the decorated class's own
   * prototype methods are (so `@Service` on an implementation exports its own public methods).
   */
  readonly methods?: readonly MethodSpec[];
}

export interface MethodDefinition {
  readonly name: string;
  readonly idempotent: boolean;
  /** undefined: the reference's default applies. */
  readonly timeout: number | undefined;
}

/** What `@Service` records on a class: everything providers and consumers need to agree on. */
export interface ServiceDefinition {
  readonly name: string;
  readonly version: string;
  readonly group: string;
  readonly methods: ReadonlyMap<string, MethodDefinition>;
  /** The class that carries the decorator. */
  readonly declaredOn: string;
}
