// The provider child of `npm run bench -- rpc-decode`: `node --expose-gc decode-cost-provider.js`
// serves Sink on 127.0.0.1 (a free port), prints `READY <port>`, and answers the parent's
// `measure` message (over IPC) with its memory and the longest event-loop block since it was
// ready. Sink.take holds what it was given until then, so a call's decoded arguments are still
// there when they are measured.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { RpcServer, Service } from '@paddock/rpc';
import type { ProviderReport } from './decode-cost-cases.js';

abstract class Sink {
  abstract take(...args: unknown[]): Promise<number>;
}
Service({ name: 'Sink', version: '1.0.0', methods: ['take'] })(Sink);

let held: unknown[] | null = null;

class SinkImpl extends Sink {
  async take(...args: unknown[]): Promise<number> {
    held = args;
    return args.length;
  }
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

function retained(): number {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

const server = await RpcServer.start({ host: '127.0.0.1', port: 0 });
await server.export(new SinkImpl());
const baseRetained = retained();
const baseRss = process.memoryUsage().rss;
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
process.on('message', (m: unknown) => {
  if (m !== 'measure') return;
  delay.disable();
  const report: ProviderReport = {
    retainedGrowth: retained() - baseRetained,
    peakRssGrowth: process.resourceUsage().maxRSS * 1024 - baseRss,
    maxBlockMs: delay.max / 1e6,
  };
  held = null;
  process.send?.(report);
});
process.once('SIGTERM', () => process.exit(0));
process.stdout.write(`READY ${server.port}\n`);
