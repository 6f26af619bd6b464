/** A class carrying `@Service`, abstract or not; its instances are of type T. */
export type Contract<T extends object> = abstract new (...args: never[]) => T;

/** Any function, as the top type of function types (no `any`). */
type AnyFunction = (...args: never[]) => unknown;

/**
 * What `refer()` returns for a contract of type T: each method of T, taking the same
 * arguments and returning a Promise of what the method resolves to. Non-method members
 * (fields, getters of non-functions) are not part of it.
 */
export type RpcProxy<T> = {
  readonly [K in keyof T as K extends string ? (T[K] extends AnyFunction ? K : never) : never]:
    T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};
