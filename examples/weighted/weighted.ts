import { Registry } from '@paddock/registry';
import { RpcClient, RpcServer, Service } from '@paddock/rpc';

// Two providers of one service with weights 100 and 300 (announced in the registry), and a
// consumer that calls it CALLS times with each of two load balancers and prints the split.
// Usage: node examples/dist/weighted/weighted.js [connect-string]   (default 127.0.0.1:2181)

@Service({ name: 'WeightedBackend', version: '1.0.0', methods: ['whoami'] })
abstract class Backend {
  abstract whoami(): Promise<string>;
}

class NamedBackend extends Backend {
  constructor(private readonly label: string) {
    super();
  }

  async whoami(): Promise<string> {
    return this.label;
  }
}

const PROVIDERS = [{ label: 'A', weight: 100 }, { label: 'B', weight: 300 }] as const;
const CALLS = 2000;
// weighted-random (the default) draws each call; round-robin is Nginx's smooth weighted round robin.
const BALANCERS = ['weighted-random', 'round-robin'] as const;

async function main(connectString: string): Promise<void> {
  const registry = await Registry.connect(connectString, { connectTimeout: 5000 });
  const servers: RpcServer[] = [];
  const client = new RpcClient({ registry });
  try {
    for (const { label, weight } of PROVIDERS) {
      const server = await RpcServer.start({ registry, host: '127.0.0.1', port: 0 });
      servers.push(server);
      await server.export(new NamedBackend(label), { weight });
      console.log(`provider ${label}: weight ${weight}, serving at ${server.address}`);
    }
    const total = PROVIDERS.reduce((sum, p) => sum + p.weight, 0);
    const expected = PROVIDERS.map((p) => `${p.label} ${percent(p.weight, total)}`).join(', ');
    for (const loadbalance of BALANCERS) {
      const backend = client.refer(Backend, { loadbalance });
      const counts = new Map<string, number>(PROVIDERS.map((p) => [p.label, 0]));
      for (let i = 0; i < CALLS; i++) {
        const label = await backend.whoami();
        counts.set(label, (counts.get(label) ?? 0) + 1);
      }
      const split = [...counts].map(([label, n]) => `provider ${label}: ${percent(n, CALLS)} (${n})`).join(', ');
      console.log(`${loadbalance}, ${CALLS} calls: ${split}`);
    }
    console.log(`expected from the weights: ${expected}`);
  } finally {
    await client.close();
    // Nobody calls any more: no grace period is needed before closing.
    await Promise.all(servers.map((s) => s.shutdown({ graceMs: 0 })));
    await registry.close();
  }
}

function percent(n: number, of: number): string {
  return `${((100 * n) / of).toFixed(1)}%`;
}

try {
  await main(process.argv[2] ?? '127.0.0.1:2181');
} catch (err) {
  console.error(`weighted: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
