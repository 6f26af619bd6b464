import { runActiveCleanups } from './support/cleanup.js';
import { UsageError } from './support/flags.js';
import type { BenchSuite } from './suite.js';

/** Every suite, by name; loaded only when run. */
const SUITES: Record<string, { description: string; load(): Promise<BenchSuite> }> = {
  coord: {
    description: 'coordination server vs Apache ZooKeeper 3.8: reads, writes, ephemeral-sequential, watch fan-out; durable writes; recovery and memory of 1M znodes; snapshot stall',
    load: async () => (await import('./coord/coord-suite.js')).coordSuite,
  },
  ensemble: {
    description: 'three-server ensembles, Paddock vs Apache ZooKeeper 3.8, durable: writes through a follower and the leader, reads over all three, the write gap per leader kill -9',
    load: async () => (await import('./ensemble/ensemble-suite.js')).ensembleSuite,
  },
  registry: {
    description: 'service registry vs the same on Apache ZooKeeper 3.8: join/leave propagation to 1,000 consumers (p50/p99), a consumer loading 10,000 providers',
    load: async () => (await import('./registry/registry-suite.js')).registrySuite,
  },
  rpc: {
    description: 'rpc 100-byte echo over 1 and 8 connections: our tcp and http transports vs @grpc/grpc-js, Moleculer (TCP) and a raw node:net echo',
    load: async () => (await import('./rpc/rpc-suite.js')).rpcSuite,
  },
  'rpc-decode': {
    description: 'what one hostile request costs a tcp provider: memory per request byte and event-loop block (bodies of empty maps, arrays, record definitions; 1M arguments)',
    load: async () => (await import('./rpc/decode-cost.js')).decodeCostSuite,
  },
};

function usage(): string {
  const lines = Object.entries(SUITES).map(([name, s]) => `  ${name.padEnd(10)} ${s.description}`);
  return ['Usage: npm run bench -- [suite [suite options]]   (no suite: run all)', 'Suites:', ...lines].join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h') {
    console.log(usage());
    return;
  }
  if (first === undefined) {
    for (const [name, s] of Object.entries(SUITES)) {
      console.log(`\n=== bench ${name} ===`);
      await (await s.load()).run([]);
    }
    return;
  }
  const entry = SUITES[first];
  if (!entry) throw new UsageError(`unknown suite "${first}"\n${usage()}`);
  await (await entry.load()).run(rest);
}

// Ctrl-C or a kill must not leave a JVM or a server child behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping servers`);
    void runActiveCleanups().finally(() => process.exit(130));
  });
}

main(process.argv.slice(2)).catch(async (err: unknown) => {
  if (err instanceof UsageError) {
    (err.help ? console.log : console.error)(err.message);
    process.exitCode = err.help ? 0 : 2;
    return;
  }
  console.error(err instanceof Error ? err.stack ?? err.message : String(err));
  await runActiveCleanups();
  process.exitCode = 1;
});
