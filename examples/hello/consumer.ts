import { Registry } from '@paddock/registry';
import { RpcClient, RpcError } from '@paddock/rpc';
import { Greeter } from './greeter.js';

// Anything that fails ends the program with one line; a failed call says its code (NO_PROVIDER, TIMEOUT, ...).
process.on('uncaughtException', (err) => { console.error(`consumer: ${err instanceof RpcError ? `${err.code}: ` : ''}${err.message}`); process.exit(1); });
const registry = await Registry.connect(process.argv[2] ?? '127.0.0.1:2181', { connectTimeout: 5000 });
const client = new RpcClient({ registry });
console.log(await client.refer(Greeter).hello('ada'));
await client.close();
await registry.close();
