import { Service } from '@paddock/rpc';

// Abstract methods leave nothing at runtime, so the contract lists them; hello is safe to retry.
@Service({ version: '1.0.0', methods: [{ name: 'hello', idempotent: true }] })
export abstract class Greeter {
  abstract hello(name: string): Promise<string>;
}
