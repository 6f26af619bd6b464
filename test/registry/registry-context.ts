import { afterEach } from 'vitest';
import { Registry, type ProviderInstance, type RegistryOptions } from '@paddock/registry';
import { useSuiteContext, type StartPeer, type SuiteContext } from '../client/suite-context.js';
import type { TcpProxy } from '../client/tcp-proxy.js';

/** What each registry test gets: the suite's peer and raw clients, a root of its own, registries closed after it. */
export interface RegistryContext {
  readonly suite: SuiteContext;
  /** The registry root of the current test (no other test uses it). */
  root(): string;
  /** A registry on the suite's peer (through a proxy when given one), under the test's root, closed after the test. */
  open(opts?: RegistryOptions & { via?: TcpProxy }): Promise<Registry>;
}

/** Short enough for expiry tests, long enough that a loaded machine keeps sessions alive otherwise. */
export const SESSION_MS = 4000;

export function useRegistryContext(start: StartPeer): RegistryContext {
  const suite = useSuiteContext(start);
  const registries: Registry[] = [];
  let counter = 0;
  let current = '';
  afterEach(async () => {
    current = '';
    await Promise.all(registries.splice(0).map((r) => r.close().catch(() => undefined)));
  });
  const ctx: RegistryContext = {
    suite,
    root() {
      if (current === '') current = `/reg${++counter}-${process.pid}/services`;
      return current;
    },
    async open(opts = {}) {
      const { via, ...rest } = opts;
      const hosts = via ? via.connectString : suite.peer.connectString;
      const registry = await Registry.connect(hosts, {
        sessionTimeout: SESSION_MS, root: ctx.root(), reconnect: { baseDelayMs: 20, maxDelayMs: 200 }, ...rest,
      });
      registries.push(registry);
      return registry;
    },
  };
  return ctx;
}

/** A valid provider instance on 127.0.0.1 at `port`, with any field replaced. */
export function instance(port: number, over: Partial<ProviderInstance> = {}): ProviderInstance {
  return { service: 'Greeter', protocol: 'tcp', host: '127.0.0.1', port, version: '1.2.0', methods: ['hello', 'bye'], ...over };
}

/** Server settings: short ticks so sessions of a few seconds are allowed and expire promptly. */
export const PEER_SETTINGS = { tickTime: 200, minSessionTimeout: 400, maxSessionTimeout: 10_000 } as const;
