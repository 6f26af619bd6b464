import { Registry } from '@paddock/registry';
import { RpcServer } from '@paddock/rpc';
import { Greeter } from '../hello/greeter.js';

// The hello provider on the http transport: curl can call it, and consumers discovering it
// through the registry (examples/dist/hello/consumer.js, unchanged) call it over http.
// Usage: node examples/dist/http/provider.js [connect-string] [port]   (defaults 127.0.0.1:2181, a free port)

class GreeterImpl extends Greeter {
  async hello(name: string): Promise<string> {
    return `hello ${name}, from provider ${process.pid} over http`;
  }
}

// Anything that fails (no server at the connect string, the port in use) ends the program with one line.
process.on('uncaughtException', (err) => { console.error(`provider: ${err.message}`); process.exit(1); });
const registry = await Registry.connect(process.argv[2] ?? '127.0.0.1:2181', { connectTimeout: 5000 });
const server = await RpcServer.start({ registry, host: '127.0.0.1', port: Number(process.argv[3] ?? 0), transport: 'http' });
await server.export(new GreeterImpl());
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void server.shutdown().then(() => registry.close()));
console.log(`provider ${process.pid} serving Greeter at ${server.address}`);
console.log(`try: curl -s ${server.address}/Greeter/hello -H 'content-type: application/json' -d '["ada"]'`);
