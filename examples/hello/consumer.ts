import { Registry } from '@paddock/registry';
import { RpcClient } from '@paddock/rpc';
import { Greeter } from './greeter.js';

const registry = await Registry.connect(process.argv[2] ?? '127.0.0.1:2181');
const client = new RpcClient({ registry });
const greeter = client.refer(Greeter);
console.log(await greeter.hello('ada'));
await client.close();
await registry.close();
