import { afterEach, describe, expect, it } from 'vitest';
import { OPTION_ERROR_CODE, OptionError } from '@paddock/edges';
import { Service } from '../contract/service.js';
import { RpcContext } from '../provider/rpc-context.js';
import { RpcServer } from '../provider/rpc-server.js';
import { RpcError } from '../call/rpc-error.js';
import { TRACE_ID } from '../transport/attachments.js';
import { callWith } from './call-scope.js';
import { RpcClient } from './rpc-client.js';
import type { ClusterName } from '../cluster/cluster-table.js';
import type { LoadBalanceName } from '../loadbalance/load-balance-table.js';

abstract class Inner {
  abstract seen(): Promise<{ traceId: string; deadline: number; tenant: string | undefined }>;
  abstract hang(): Promise<void>;
}
Service({ name: 'Inner', version: '1.0.0', methods: ['seen', 'hang'] })(Inner);

abstract class Outer {
  abstract relay(): Promise<{ outer: { traceId: string; deadline: number }; inner: { traceId: string; deadline: number } }>;
}
Service({ name: 'Outer', version: '1.0.0', methods: ['relay'] })(Outer);

class InnerImpl extends Inner {
  async seen(): Promise<{ traceId: string; deadline: number; tenant: string | undefined }> {
    const ctx = RpcContext.current() as RpcContext;
    return { traceId: ctx.traceId, deadline: ctx.deadline, tenant: ctx.attachments.tenant };
  }
  hang(): Promise<void> {
    return new Promise(() => {});
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(...impls: object[]): Promise<RpcServer> {
  const server = await RpcServer.start({ host: '127.0.0.1', port: 0 });
  for (const impl of impls) await server.export(impl);
  cleanups.push(() => server.close());
  return server;
}

function client(): RpcClient {
  const c = new RpcClient();
  cleanups.push(() => c.close());
  return c;
}

describe('RpcClient.refer', () => {
  it('gives a frozen object with exactly the contract\'s methods (not a thenable)', async () => {
    const server = await serve(new InnerImpl());
    const inner = client().refer(Inner, { addresses: [`127.0.0.1:${server.port}`] });
    expect(Object.keys(inner).sort()).toEqual(['hang', 'seen']);
    expect(Object.isFrozen(inner)).toBe(true);
    expect('then' in inner).toBe(false);
    // The first call waits for the connection that refer() started.
    expect(await inner.seen()).toMatchObject({ tenant: undefined });
  });

  it.each([
    [() => client().refer(class NoService {}, { addresses: ['127.0.0.1:1'] }), 'NoService has no @Service'],
    [() => client().refer(Inner), 'refer(Inner): give addresses'],
    [() => client().refer(Inner, { addresses: [] }), 'addresses must be 1..1000 host:port strings'],
    [() => client().refer(Inner, { addresses: ['localhost'] }), 'bad provider address "localhost": expected host:port'],
    [() => client().refer(Inner, { addresses: ['127.0.0.1:1'], version: 'latest' }), 'version "latest" is not a version'],
    [() => client().refer(Inner, { addresses: ['127.0.0.1:1'], group: 'a,,b' }), 'group "a,,b" is not a group'],
    [() => client().refer(Inner, { addresses: ['127.0.0.1:1'], timeout: 0 }), 'timeout must be an integer number of ms'],
    [() => client().refer(Inner, { addresses: ['127.0.0.1:1'], loadbalance: 'fastest' as LoadBalanceName }), 'unknown load balancer "fastest"'],
    [() => client().refer(Inner, { addresses: ['127.0.0.1:1'], cluster: 'magic' as ClusterName }), 'unknown cluster "magic"'],
  ])('refuses bad options at refer time: %#', (refer, message) => {
    expect(refer).toThrow(message);
  });
});

describe('deadlines, trace ids and attachments across nested calls', () => {
  it('a provider calling another service passes on its trace id and what is left of its deadline', async () => {
    const innerServer = await serve(new InnerImpl());
    const nested = client();
    const innerRef = nested.refer(Inner, { addresses: [`127.0.0.1:${innerServer.port}`], timeout: 60_000 });
    class OuterImpl extends Outer {
      async relay(): Promise<{ outer: { traceId: string; deadline: number }; inner: { traceId: string; deadline: number } }> {
        const ctx = RpcContext.current() as RpcContext;
        return { outer: { traceId: ctx.traceId, deadline: ctx.deadline }, inner: await innerRef.seen() };
      }
    }
    const outerServer = await serve(new OuterImpl());
    const outer = client().refer(Outer, { addresses: [`127.0.0.1:${outerServer.port}`], timeout: 5000 });
    const { outer: o, inner: i } = await outer.relay();
    expect(i.traceId).toBe(o.traceId);
    expect(o.traceId).not.toBe('');
    // The inner reference's own timeout (60 s) is cut to the outer call's deadline.
    expect(i.deadline).toBe(o.deadline);
  });

  it('callWith: attachments out, reply attachments back, explicit trace id', async () => {
    const server = await serve(new InnerImpl());
    const inner = client().refer(Inner, { addresses: [`127.0.0.1:${server.port}`] });
    const { result } = await callWith({ attachments: { tenant: 't9', [TRACE_ID]: 'given' } }, () => inner.seen());
    expect(result).toMatchObject({ tenant: 't9', traceId: 'given' });
    await expect(callWith({ timeout: -1 }, () => inner.seen())).rejects.toThrow('timeout must be a positive integer');
    await expect(callWith({ attachments: { n: 1 as unknown as string } }, () => inner.seen())).rejects.toThrow('string values');
  });
});

describe('option errors', () => {
  /** What `fn` throws or rejects with. */
  const thrown = (fn: () => unknown): Promise<unknown> => Promise.resolve().then(fn).then(() => undefined, (e: unknown) => e);

  it('a bad client, refer or callWith option is an OptionError naming the option and the value, never an RpcError', async () => {
    const c = client();
    const refer = (options: Parameters<RpcClient['refer']>[1]): unknown => c.refer(Inner, { addresses: ['127.0.0.1:1'], ...options });
    const cases: [() => unknown, string, unknown][] = [
      [() => new RpcClient({ connections: 0 }), 'connections', 0],
      [() => new RpcClient({ timeout: -1 }), 'timeout', -1],
      [() => refer({ version: 'newest' }), 'version', 'newest'],
      [() => refer({ group: 'a,,b' }), 'group', 'a,,b'],
      [() => refer({ timeout: 1.5 }), 'timeout', 1.5],
      [() => refer({ addresses: ['nope'] }), 'addresses', 'nope'],
      [() => c.refer(Inner), 'addresses', undefined],
      [() => refer({ loadbalance: 'fastest' as LoadBalanceName }), 'loadbalance', 'fastest'],
      [() => refer({ cluster: 'failback' as ClusterName }), 'cluster', 'failback'],
      [() => refer({ retries: 11 }), 'retries', 11],
      [() => refer({ forks: 0, cluster: 'forking' }), 'forks', 0],
      [() => refer({ warmupMs: -1 }), 'warmupMs', -1],
      [() => refer({ hashArguments: [-1], loadbalance: 'consistent-hash' }), 'hashArguments', [-1]],
      [() => refer({ circuitBreaker: { failureThreshold: 0 } }), 'circuitBreaker.failureThreshold', 0],
      [() => callWith({ timeout: -1 }, async () => undefined), 'timeout', -1],
      [() => callWith({ traceId: '' }, async () => undefined), 'traceId', ''],
    ];
    for (const [fn, option, value] of cases) {
      const err = await thrown(fn);
      expect(err, option).toBeInstanceOf(OptionError);
      expect(err, option).toBeInstanceOf(TypeError);
      expect(err, option).toMatchObject({ code: OPTION_ERROR_CODE, option, value });
    }
  });
});

describe('closing', () => {
  it('close() fails calls in flight with NETWORK and refuses new references', async () => {
    const server = await serve(new InnerImpl());
    const c = new RpcClient();
    const inner = c.refer(Inner, { addresses: [`127.0.0.1:${server.port}`] });
    await inner.seen();
    const hanging = inner.hang().then(() => null, (e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    await c.close();
    const err = (await hanging) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe('NETWORK');
    expect(() => c.refer(Inner, { addresses: ['127.0.0.1:1'] })).toThrow('closed');
  });

  it('a provider address nobody listens on: NO_PROVIDER after the first connect attempt', async () => {
    const probe = await RpcServer.start({ host: '127.0.0.1', port: 0 });
    const port = probe.port;
    await probe.close();
    const inner = client().refer(Inner, { addresses: [`127.0.0.1:${port}`] });
    const err = (await inner.seen().then(() => null, (e: unknown) => e)) as RpcError;
    expect(err.code).toBe('NO_PROVIDER');
  });
});
