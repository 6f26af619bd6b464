import { Registry, type ChildrenWatchMode, type RegistryOptions } from '@paddock/registry';

/** Opened in small batches so a thousand handshakes do not all time out together on 2 cores. */
const CONNECT_BATCH = 25;

/** What every registry of the bench uses: a fixed consumer host (no interface lookup per registry). */
export const REGISTRY_OPTIONS: RegistryOptions = { sessionTimeout: 30_000, consumerHost: '127.0.0.1' };

/** Opens `count` registries, each with its own session; on failure closes those already open. */
export async function openRegistries(connectString: string, count: number, watchMode: ChildrenWatchMode = 'auto'): Promise<Registry[]> {
  const opened: Registry[] = [];
  try {
    for (let i = 0; i < count; i += CONNECT_BATCH) {
      const n = Math.min(CONNECT_BATCH, count - i);
      // allSettled, so a registry that opens after a sibling failed is still known and closed.
      const batch = await Promise.allSettled(Array.from({ length: n }, () => Registry.connect(connectString, { ...REGISTRY_OPTIONS, watchMode })));
      for (const r of batch) if (r.status === 'fulfilled') opened.push(r.value);
      const failed = batch.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }
    return opened;
  } catch (err) {
    await closeRegistries(opened);
    throw err;
  }
}

export async function closeRegistries(registries: readonly Registry[]): Promise<void> {
  await Promise.allSettled(registries.map((r) => r.close()));
}
