import { afterAll, afterEach } from 'vitest';
import type { Provider, Subscription } from '@paddock/registry';
import { RpcClient, type RpcClientOptions } from '@paddock/rpc';
import { ProviderProcess } from './provider-process.js';

/** Clients made in a test are closed after it; providers a file started are killed after it. */
export function useClients(): (opts?: RpcClientOptions) => RpcClient {
  const clients: RpcClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => ProviderProcess.stopAll());
  return (opts = {}) => {
    const c = new RpcClient(opts);
    clients.push(c);
    return c;
  };
}

/** A bounded wait for a promise a test expects to settle soon (events, not time). */
export async function within<T>(p: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves with the first list of `sub` that passes `ok` (the current one or a later change), bounded. */
export function listed(sub: Subscription, what: string, ok: (list: readonly Provider[]) => boolean): Promise<void> {
  return within(new Promise<void>((resolve) => {
    if (ok(sub.providers)) return resolve();
    const onChange = (list: readonly Provider[]): void => {
      if (!ok(list)) return;
      sub.off('change', onChange);
      resolve();
    };
    sub.on('change', onChange);
  }), what);
}
