import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, OPTION_ERROR_CODE, OptionError } from '@paddock/edges';
import type { RpcProxy } from '../contract/contract-types.js';
import { Service } from '../contract/service.js';
import { RpcClient } from '../consumer/rpc-client.js';
import { RpcError } from '../call/rpc-error.js';
import { until } from '../transport/testing/until.js';
import { RpcContext } from './rpc-context.js';
import { RpcServer } from './rpc-server.js';

abstract class Gate {
  abstract pass(tag: string): Promise<string>;
  abstract quick(): Promise<string>;
  abstract watch(): Promise<void>;
}
Service({ name: 'Gate', version: '1.0.0', methods: ['pass', 'quick', 'watch'] })(Gate);

class GateImpl extends Gate {
  readonly waiting = new Map<string, () => void>();
  pass(tag: string): Promise<string> {
    return new Promise((resolve) => this.waiting.set(tag, () => resolve(`passed ${tag}`)));
  }
  async quick(): Promise<string> {
    return 'quick';
  }
  /** The reason each watch() call's signal aborted with. */
  readonly aborted: unknown[] = [];
  watch(): Promise<void> {
    const { signal } = RpcContext.current() as RpcContext;
    return new Promise((_, reject) => signal.addEventListener('abort', () => {
      this.aborted.push(signal.reason);
      reject(signal.reason as Error);
    }));
  }
  open(): void {
    for (const go of this.waiting.values()) go();
    this.waiting.clear();
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(clock?: ManualClock): Promise<RpcServer> {
  const server = await RpcServer.start({ host: '127.0.0.1', port: 0, ...(clock ? { clock } : {}) });
  cleanups.push(() => server.close());
  return server;
}

function refer(server: RpcServer): RpcProxy<Gate> {
  const client = new RpcClient();
  cleanups.push(() => client.close());
  return client.refer(Gate, { addresses: [server.address], circuitBreaker: false });
}

describe('RpcServer.export', () => {
  it('refuses objects without @Service, implementations missing a method, and a second export of the same version', async () => {
    const server = await start();
    await expect(server.export({})).rejects.toThrow('cannot export an instance of Object: neither its class nor a base class has @Service');
    // A plain-JS implementation can forget a method; TypeScript would not let this class compile.
    class Half {
      async quick(): Promise<string> {
        return 'q';
      }
    }
    Object.setPrototypeOf(Half, Gate);
    await expect(server.export(new Half())).rejects.toThrow('Half does not implement Gate.pass');
    await server.export(new GateImpl());
    await expect(server.export(new GateImpl())).rejects.toThrow('Gate 1.0.0 (group default) is already exported');
  });

  it('serves another version or group than @Service gives when export() names one; refuses bad ones', async () => {
    class Tagged extends GateImpl {
      constructor(private readonly tag: string) {
        super();
      }
      override async quick(): Promise<string> {
        return `quick ${this.tag}`;
      }
    }
    const server = await start();
    const handle = await server.export(new Tagged('canary'), { group: 'canary', version: '1.1.0' });
    expect(handle).toMatchObject({ service: 'Gate', version: '1.1.0', group: 'canary' });
    await server.export(new Tagged('stable'));
    const client = new RpcClient();
    cleanups.push(() => client.close());
    const quick = (options: { version?: string; group?: string }): Promise<string> =>
      client.refer(Gate, { addresses: [server.address], circuitBreaker: false, ...options }).quick();
    expect(await quick({ group: 'canary', version: '1.1.0' })).toBe('quick canary');
    expect(await quick({ group: 'canary' })).toBe('quick canary'); // ^1.0.0 takes 1.1.0
    expect(await quick({})).toBe('quick stable');
    await expect(quick({ group: 'canary', version: '1.0.0' })).rejects.toMatchObject({ code: 'VERSION_MISMATCH' });
    await expect(server.export(new GateImpl(), { version: '1.x' })).rejects.toThrow(/export Gate: .*"1\.x"/);
    await expect(server.export(new GateImpl(), { group: 'two words' })).rejects.toThrow(/export Gate: .*"two words"/);
    await expect(server.export(new GateImpl(), { group: 'canary', version: '1.1.0' })).rejects.toThrow('Gate 1.1.0 (group canary) is already exported');
  });

  it('a bad start or export option is an OptionError naming the option and the value', async () => {
    for (const [start, option, value] of [
      [{ port: 70_000 }, 'port', 70_000],
      [{ port: 0, transport: 'udp' }, 'transport', 'udp'],
      [{ port: 0, tcp: { heartbeatMs: 0 } }, 'tcp.heartbeatMs', 0],
    ] as const) {
      await expect(RpcServer.start(start as Parameters<typeof RpcServer.start>[0]), option).rejects.toMatchObject({ name: 'OptionError', code: OPTION_ERROR_CODE, option, value });
    }
    const server = await start();
    await expect(server.export(new GateImpl(), { executes: 0 })).rejects.toBeInstanceOf(OptionError);
    await expect(server.export(new GateImpl(), { version: '1.x' })).rejects.toMatchObject({ code: OPTION_ERROR_CODE, option: 'version', value: '1.x' });
  });

  it('unexport stops serving the service', async () => {
    const server = await start();
    const handle = await server.export(new GateImpl());
    expect(handle).toMatchObject({ service: 'Gate', version: '1.0.0', group: 'default', url: null });
    const gate = refer(server);
    expect(await gate.quick()).toBe('quick');
    await handle.unexport();
    await expect(gate.quick()).rejects.toMatchObject({ code: 'UNKNOWN_SERVICE' });
  });
});

describe('RpcServer.shutdown', () => {
  it('waits the grace period, finishes calls in flight, then closes; nothing can be exported meanwhile', async () => {
    const clock = new ManualClock(Date.now());
    const server = await start(clock);
    const impl = new GateImpl();
    await server.export(impl);
    const gate = refer(server);
    const inFlight = gate.pass('a');
    await until(() => impl.waiting.size === 1, 'the call to run');
    let closed = false;
    const done = server.shutdown({ graceMs: 5000, drainMs: 60_000 }).then(() => { closed = true; });
    expect(server.shutdown()).toBe(server.shutdown());
    await expect(server.export(new GateImpl())).rejects.toThrow('shutting down');
    // In the grace period: still serving new calls.
    expect(await gate.quick()).toBe('quick');
    clock.advance(5000);
    // Draining: the consumer was told (GOAWAY), so it sends nothing new; the call in flight finishes.
    await until(() => server.connectionCount === 1 && !closed, 'the drain to start');
    impl.open();
    expect(await inFlight).toBe('passed a');
    await done;
    expect(server.connectionCount).toBe(0);
    await expect(gate.quick()).rejects.toBeInstanceOf(RpcError);
  });

  it('closes anyway after drainMs when a call never finishes', async () => {
    const clock = new ManualClock(Date.now());
    const server = await start(clock);
    const impl = new GateImpl();
    await server.export(impl);
    const gate = refer(server);
    const stuck = gate.pass('never').then(() => null, (e: unknown) => e);
    await until(() => impl.waiting.size === 1, 'the call to run');
    const timers = clock.pending;
    const done = server.shutdown({ graceMs: 0, drainMs: 1000 });
    await until(() => clock.pending > timers, 'the drain timer');
    clock.advance(1000);
    await done;
    // It may have run in part: the consumer learns only that the connection went.
    expect(((await stuck) as RpcError).code).toBe('NETWORK');
  });
});

describe('a call whose consumer goes away', () => {
  it('has its signal aborted with NETWORK', async () => {
    const server = await start();
    const impl = new GateImpl();
    await server.export(impl);
    const client = new RpcClient();
    const gate = client.refer(Gate, { addresses: [server.address] });
    const watching = gate.watch().catch(() => undefined);
    await until(() => server.running === 1, 'the call to run');
    await client.close();
    await watching;
    await until(() => impl.aborted.length === 1, 'the abort');
    expect(impl.aborted[0]).toBeInstanceOf(RpcError);
    expect((impl.aborted[0] as RpcError).code).toBe('NETWORK');
    await until(() => server.running === 0, 'the call to end');
  });
});
