import { Service } from '@paddock/rpc';

/** The contracts the fixture provider serves, as a consumer declares them (decorator syntax). */
export interface Described {
  readonly tag: string;
  readonly ctor: string;
  readonly isBuffer: boolean;
  readonly typeof: string;
  readonly size?: number;
}

export interface Served {
  readonly pid: number;
  readonly name: string;
  readonly tag: string;
}

export interface SeenContext {
  readonly deadline: number;
  readonly remaining: number;
  readonly traceId: string;
  readonly attachments: Record<string, string>;
  readonly version: string;
  readonly group: string;
  readonly from: string;
}

export interface SeenAbort {
  readonly label: string;
  readonly code: string;
  readonly message: string;
  readonly deadline: number;
  readonly at: number;
}

@Service({
  name: 'Greeter',
  version: '1.2.0',
  methods: ['hello', { name: 'echo', idempotent: true }, 'describe', 'whoami', 'work', 'boom', 'fail', 'context', 'waitForAbort', 'big', 'delayEcho'],
})
export abstract class Greeter {
  abstract hello(who: string): Promise<string>;
  abstract echo<T>(value: T): Promise<T>;
  abstract describe(value: unknown): Promise<Described>;
  abstract whoami(): Promise<{ pid: number; name: string }>;
  abstract work(ms: number, tag: string): Promise<Served>;
  abstract boom(message: string): Promise<never>;
  abstract fail(code: string, message: string): Promise<never>;
  abstract context(): Promise<SeenContext>;
  abstract waitForAbort(label: string): Promise<never>;
  abstract big(bytes: number): Promise<Buffer>;
  abstract delayEcho<T>(value: T, ms: number): Promise<T>;
}

/** The same service with a method the provider does not have. */
@Service({ name: 'Greeter', version: '1.2.0', methods: ['hello', 'shout'] })
export abstract class GreeterWithExtra {
  abstract hello(who: string): Promise<string>;
  abstract shout(who: string): Promise<string>;
}

@Service({ name: 'Unheard', version: '1.0.0', methods: ['anything'] })
export abstract class Unheard {
  abstract anything(): Promise<void>;
}

@Service({ name: 'Blocker', version: '1.0.0', methods: ['block'] })
export abstract class Blocker {
  abstract block(key: string): Promise<string>;
}

@Service({ name: 'Control', version: '1.0.0', methods: ['waitBlocked', 'release', 'nextAbort', 'stats'] })
export abstract class Control {
  abstract waitBlocked(n: number): Promise<string[]>;
  abstract release(): Promise<string[]>;
  abstract nextAbort(): Promise<SeenAbort>;
  /** `whoami` counts the calls it served: counted on the provider, not by the consumer. */
  abstract stats(): Promise<{ connections: number; running: number; whoami: number }>;
}
