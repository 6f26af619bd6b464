import { Registry } from '@paddock/registry';
import { REGISTRY_OPTIONS, closeRegistries, openRegistries } from './registries.js';
import type { RegistryBenchParams } from './params.js';

/** Provider processes the load test's providers are spread over (one registry, one session each). */
const PROVIDER_REGISTRIES = 10;
/** Registrations in flight per provider registry while filling the tree. */
const REGISTER_WINDOW = 200;
const PORT = 40_000;

function loadServices(p: RegistryBenchParams): string[] {
  return Array.from({ length: p.services }, (_, i) => `BenchLoad${String(i).padStart(4, '0')}`);
}

/** Registers services × providersPerService providers; returns the provider registries (closing them removes the providers). */
export async function prepareLoad(connectString: string, p: RegistryBenchParams): Promise<Registry[]> {
  const providers = await openRegistries(connectString, PROVIDER_REGISTRIES);
  try {
    const jobs = loadServices(p).flatMap((service) => Array.from({ length: p.providersPerService }, (_, i) => ({
      service, protocol: 'tcp', host: '127.0.0.1', port: PORT + i, version: '1.0.0', methods: ['hello'],
    } as const)));
    await Promise.all(providers.map(async (registry, k) => {
      const mine = jobs.filter((_, j) => j % providers.length === k);
      for (let i = 0; i < mine.length; i += REGISTER_WINDOW) {
        await Promise.all(mine.slice(i, i + REGISTER_WINDOW).map((instance) => registry.register(instance)));
      }
    }));
    return providers;
  } catch (err) {
    await closeRegistries(providers);
    throw err;
  }
}

/**
 * One consumer's cold start: a new registry (its session opened first, not timed), then from
 * just before the first discover() until every service's list is complete.
 */
export async function loadOnce(connectString: string, p: RegistryBenchParams): Promise<number> {
  const consumer = await Registry.connect(connectString, { ...REGISTRY_OPTIONS, watchMode: p.watchMode });
  try {
    const t0 = performance.now();
    const subs = await Promise.all(loadServices(p).map((s) => consumer.discover(s)));
    const ms = performance.now() - t0;
    const short = subs.find((s) => s.providers.length !== p.providersPerService);
    if (short) throw new Error(`load: ${short.service} lists ${short.providers.length} providers, not ${p.providersPerService}`);
    return ms;
  } finally {
    await consumer.close();
  }
}
