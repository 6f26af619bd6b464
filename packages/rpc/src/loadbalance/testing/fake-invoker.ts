import type { Invocation } from '../../call/invocation.js';
import type { TimestampedInvoker } from '../load-balance.js';

export interface FakeInvokerInit {
  weight?: number;
  active?: number;
  available?: boolean;
  timestamp?: number;
}

/** What a fake invoker does when called. */
export type Behaviour = (inv: Invocation, self: FakeInvoker) => Promise<unknown>;

/** An invoker whose weight, load and availability tests set, and whose calls they script. */
export class FakeInvoker implements TimestampedInvoker {
  weight: number;
  active: number;
  available: boolean;
  timestamp: number | undefined;
  readonly invocations: Invocation[] = [];
  behave: Behaviour = (_inv, self) => Promise.resolve(self.id);

  constructor(
    readonly id: string,
    init: FakeInvokerInit = {},
  ) {
    this.weight = init.weight ?? 100;
    this.active = init.active ?? 0;
    this.available = init.available ?? true;
    this.timestamp = init.timestamp;
  }

  get calls(): number {
    return this.invocations.length;
  }

  invoke(inv: Invocation): Promise<unknown> {
    this.invocations.push(inv);
    return this.behave(inv, this);
  }
}

/** Fake invokers named a, b, c, ... with the given weights. */
export function fakes(...weights: number[]): FakeInvoker[] {
  return weights.map((weight, i) => new FakeInvoker(String.fromCharCode(97 + i), { weight }));
}

export function invocation(init: Partial<Invocation> = {}): Invocation {
  return {
    service: 'Greeter',
    method: 'hello',
    args: [],
    attachments: {},
    deadline: Number.POSITIVE_INFINITY,
    idempotent: true,
    ...init,
  };
}

/** A promise with its settle functions, for calls a test answers by hand. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
