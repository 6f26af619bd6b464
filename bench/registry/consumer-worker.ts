import type { ChildrenWatchMode, Provider, Subscription } from '@paddock/registry';
import { pathToFileURL } from 'node:url';
import { monotonicMs, type FromWorker, type ToWorker } from './driver-protocol.js';
import { closeRegistries, openRegistries } from './registries.js';

/**
 * One driver process of the propagation section: opens `count` consumer registries (one session
 * each) following a service, and on the parent's `expect` tells when each consumer's list first
 * holds (or no longer holds) a provider port. Times are CLOCK_MONOTONIC ms (process.hrtime),
 * which every process on the machine shares, so the parent can subtract its own start time.
 *
 *   node consumer-worker.js <connect string> <count> <service> <base providers> [watch mode]   (forked, with IPC)
 */
function send(m: FromWorker): void {
  process.send?.(m);
}

function arm(subs: readonly Subscription[], id: number, port: number, present: boolean): void {
  const at = new Array<number>(subs.length).fill(0);
  const listeners: ((list: readonly Provider[]) => void)[] = [];
  let pending = subs.length;
  subs.forEach((sub, i) => {
    const on = (list: readonly Provider[]): void => {
      if (at[i] !== 0 || list.some((x) => x.port === port) !== present) return;
      at[i] = monotonicMs();
      if (--pending > 0) return;
      subs.forEach((s, k) => s.off('change', listeners[k]!));
      send({ kind: 'seen', id, at });
    };
    listeners[i] = on;
    sub.on('change', on);
  });
  send({ kind: 'armed', id });
}

async function main(): Promise<void> {
  const [connectString = '', countText = '', service = '', baseText = '', watchMode = 'auto'] = process.argv.slice(2);
  const registries = await openRegistries(connectString, Number(countText), watchMode as ChildrenWatchMode);
  const subs = await Promise.all(registries.map((r) => r.discover(service)));
  const short = subs.find((s) => s.providers.length !== Number(baseText));
  if (short) throw new Error(`a consumer sees ${short.providers.length} providers of ${service}, not ${baseText}`);
  const quit = (): void => void closeRegistries(registries).finally(() => process.exit(0));
  process.on('message', (m: ToWorker) => {
    if (m.kind === 'expect') arm(subs, m.id, m.port, m.present);
    else quit();
  });
  // The parent gone (a killed bench): nothing left to report to.
  process.on('disconnect', quit);
  send({ kind: 'ready' });
}

if (process.send !== undefined && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    send({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  });
}
