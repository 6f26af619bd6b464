import { Registry } from '@paddock/registry';
import { RpcServer } from '@paddock/rpc';
import { Greeter } from './greeter.js';

class GreeterImpl extends Greeter {
  async hello(name: string): Promise<string> { return `hello ${name}, from provider ${process.pid}`; }
}

// Anything that fails (no server at the connect string, a bad one) ends the program with one line.
process.on('uncaughtException', (err) => { console.error(`provider: ${err.message}`); process.exit(1); });
// The connect string of the coordination server: the first argument, default 127.0.0.1:2181.
const registry = await Registry.connect(process.argv[2] ?? '127.0.0.1:2181', { connectTimeout: 5000 });
const server = await RpcServer.start({ registry, host: '127.0.0.1', port: 0 });
await server.export(new GreeterImpl());
// Ctrl-C (or SIGTERM): unregister, give consumers time to see it, finish the calls in flight, close.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void server.shutdown().then(() => registry.close()));
console.log(`provider ${process.pid} serving Greeter at ${server.address}`);
