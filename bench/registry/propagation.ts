import type { Provider, Registration, Registry, Subscription } from '@paddock/registry';
import { LatencyHistogram } from '../support/latency-histogram.js';
import { closeRegistries, openRegistries } from './registries.js';
import type { RegistryBenchParams } from './params.js';

export const PROPAGATION_SERVICE = 'BenchPropagation';
const BASE_PORT = 20_000;
const EVENT_PORT = 30_000;

/** One server's propagation setup: a provider registry with the base list, and the consumers following it. */
export interface PropagationSide {
  readonly provider: Registry;
  readonly consumers: readonly Registry[];
  readonly subscriptions: readonly Subscription[];
  /** Ports used by joins so far; each join gets a new one. */
  joins: number;
}

/** What one round of joins and leaves measured on one server. */
export interface PropagationResult {
  /** Join → each consumer's list holds it, one sample per consumer per join. */
  readonly joinEach: LatencyHistogram;
  /** Join → the last consumer's list holds it, one sample per join. */
  readonly joinAll: LatencyHistogram;
  readonly leaveEach: LatencyHistogram;
  readonly leaveAll: LatencyHistogram;
}

export function emptyPropagation(): PropagationResult {
  return { joinEach: new LatencyHistogram(), joinAll: new LatencyHistogram(), leaveEach: new LatencyHistogram(), leaveAll: new LatencyHistogram() };
}

export function mergePropagation(into: PropagationResult, r: PropagationResult): void {
  into.joinEach.merge(r.joinEach);
  into.joinAll.merge(r.joinAll);
  into.leaveEach.merge(r.leaveEach);
  into.leaveAll.merge(r.leaveAll);
}

function instance(port: number) {
  return { service: PROPAGATION_SERVICE, protocol: 'tcp', host: '127.0.0.1', port, version: '1.0.0' } as const;
}

/** Registers the base providers and opens the consumers, each following the service. */
export async function preparePropagation(connectString: string, p: RegistryBenchParams): Promise<PropagationSide> {
  const [provider] = await openRegistries(connectString, 1);
  const consumers: Registry[] = [];
  try {
    await Promise.all(Array.from({ length: p.baseProviders }, (_, i) => provider!.register(instance(BASE_PORT + i))));
    consumers.push(...await openRegistries(connectString, p.consumers));
    const subscriptions = await Promise.all(consumers.map((c) => c.discover(PROPAGATION_SERVICE)));
    const short = subscriptions.find((s) => s.providers.length !== p.baseProviders);
    if (short) throw new Error(`a consumer sees ${short.providers.length} providers of ${PROPAGATION_SERVICE}, not ${p.baseProviders}`);
    return { provider: provider!, consumers, subscriptions, joins: 0 };
  } catch (err) {
    await closeRegistries([...consumers, provider!]);
    throw err;
  }
}

export async function closePropagation(side: PropagationSide): Promise<void> {
  await closeRegistries([...side.consumers, side.provider]);
}

/**
 * Runs `act` and times, from just before it, until every subscription's list passes `seen`:
 * each consumer's time into `each`, the last one's into `all`.
 */
async function propagate(
  side: PropagationSide, act: () => Promise<unknown>, seen: (list: readonly Provider[]) => boolean,
  each: LatencyHistogram, all: LatencyHistogram, p: RegistryBenchParams, what: string,
): Promise<void> {
  const subs = side.subscriptions;
  let pending = subs.length;
  const listeners: ((list: readonly Provider[]) => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  const t0 = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      subs.forEach((sub, i) => {
        let done = false;
        const on = (list: readonly Provider[]): void => {
          if (done || !seen(list)) return;
          done = true;
          const ms = performance.now() - t0;
          each.recordMs(ms);
          if (--pending === 0) {
            all.recordMs(ms);
            resolve();
          }
        };
        listeners[i] = on;
        sub.on('change', on);
      });
      timer = setTimeout(() => reject(new Error(`${what}: ${pending} of ${subs.length} consumers did not see it within ${p.eventTimeoutMs} ms`)), p.eventTimeoutMs);
      act().catch(reject);
    });
  } finally {
    clearTimeout(timer);
    subs.forEach((sub, i) => sub.off('change', listeners[i]!));
  }
}

/** `count` joins, each followed by its leave; each waits until every consumer has seen it. */
export async function runPropagation(side: PropagationSide, p: RegistryBenchParams, count: number): Promise<PropagationResult> {
  const r = emptyPropagation();
  for (let i = 0; i < count; i++) {
    const port = EVENT_PORT + side.joins++;
    const has = (list: readonly Provider[]): boolean => list.some((x) => x.port === port);
    let joining: Promise<Registration> | undefined;
    const join = (): Promise<Registration> => (joining = side.provider.register(instance(port)));
    await propagate(side, join, has, r.joinEach, r.joinAll, p, `join of provider :${port}`);
    // The consumers can see the node before register() resolves; the leave needs its handle.
    const registration = await joining!;
    const leave = registration.unregister;
    await propagate(side, () => leave(), (list) => !has(list), r.leaveEach, r.leaveAll, p, `leave of provider :${port}`);
  }
  return r;
}
