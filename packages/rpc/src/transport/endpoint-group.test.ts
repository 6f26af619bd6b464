import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { RpcClient } from '../consumer/rpc-client.js';
import { Service } from '../contract/service.js';
import { RpcServer } from '../provider/rpc-server.js';
import { RpcError } from '../call/rpc-error.js';
import { EndpointGroup } from './endpoint-group.js';
import { invocation } from './testing/tcp-harness.js';
import type { CallTarget, ClientEndpoint, EndpointEvents, EndpointState } from './transport.js';

/** An endpoint whose state tests set; a call answers with its name, or its refusal when unavailable. */
class FakeEndpoint extends EventEmitter<EndpointEvents> implements ClientEndpoint {
  readonly address = '127.0.0.1:1';
  calls = 0;
  closed = false;
  state: EndpointState;

  constructor(readonly name: string, state: EndpointState = 'open') {
    super();
    this.state = state;
  }

  get available(): boolean {
    return this.state === 'open';
  }

  set(state: EndpointState): void {
    this.state = state;
    this.emit('state', state);
  }

  call(_inv: unknown, _target: CallTarget): Promise<unknown> {
    if (!this.available) return Promise.reject(new RpcError('NETWORK', `${this.name} is ${this.state}`));
    this.calls++;
    return Promise.resolve(this.name);
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.closed = true;
  }
}

const target: CallTarget = { version: '*', group: 'default' };
const inv = invocation('echo', [], Number.MAX_SAFE_INTEGER);

describe('EndpointGroup', () => {
  it('sends calls round robin and skips members that are not available', async () => {
    const [a, b, c] = [new FakeEndpoint('a'), new FakeEndpoint('b'), new FakeEndpoint('c')];
    const group = new EndpointGroup('127.0.0.1:1', [a, b, c]);
    const seen: unknown[] = [];
    for (let i = 0; i < 6; i++) seen.push(await group.call(inv, target));
    expect(seen).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    b.set('backoff');
    seen.length = 0;
    for (let i = 0; i < 4; i++) seen.push(await group.call(inv, target));
    expect(seen).toEqual(['a', 'c', 'a', 'c']);
  });

  it('is available while one member is; with none, a member refuses with its own reason', async () => {
    const [a, b] = [new FakeEndpoint('a', 'connecting'), new FakeEndpoint('b', 'backoff')];
    const group = new EndpointGroup('127.0.0.1:1', [a, b]);
    expect(group.available).toBe(false);
    await expect(group.call(inv, target)).rejects.toThrow(/is (connecting|backoff)/);
    b.set('open');
    expect(group.available).toBe(true);
    expect(await group.call(inv, target)).toBe('b');
  });

  it('has its best member\'s state and says so only when that changes', () => {
    const [a, b] = [new FakeEndpoint('a', 'connecting'), new FakeEndpoint('b', 'backoff')];
    const group = new EndpointGroup('127.0.0.1:1', [a, b]);
    const states: EndpointState[] = [];
    group.on('state', (s) => states.push(s));
    expect(group.state).toBe('connecting');
    b.set('open');
    a.set('open');
    a.set('draining');
    b.set('draining');
    a.set('closed');
    b.set('closed');
    expect(states).toEqual(['open', 'draining', 'closed']);
  });

  it('closes every member and refuses to be empty', () => {
    const members = [new FakeEndpoint('a'), new FakeEndpoint('b')];
    new EndpointGroup('127.0.0.1:1', members).close();
    expect(members.map((m) => m.closed)).toEqual([true, true]);
    expect(() => new EndpointGroup('127.0.0.1:1', [])).toThrow('at least one endpoint');
  });
});

abstract class Echo {
  abstract echo(v: number): Promise<number>;
}
Service({ name: 'Echo', version: '1.0.0', methods: ['echo'] })(Echo);
class EchoImpl extends Echo {
  async echo(v: number): Promise<number> {
    return v;
  }
}

describe('RpcClient connections option', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function serveEcho(transport: 'tcp' | 'http'): Promise<RpcServer> {
    const server = await RpcServer.start({ host: '127.0.0.1', port: 0, transport });
    await server.export(new EchoImpl());
    cleanups.push(() => server.close());
    return server;
  }

  function clientWith(connections: number): RpcClient {
    const client = new RpcClient({ connections });
    cleanups.push(() => client.close());
    return client;
  }

  it.each([1, 3])('tcp: %i connection(s) to one provider, shared by the client\'s references', async (n) => {
    const server = await serveEcho('tcp');
    const client = clientWith(n);
    const a = client.refer(Echo, { addresses: [server.address] });
    const b = client.refer(Echo, { addresses: [server.address] });
    const values = Array.from({ length: 50 }, (_, i) => i);
    expect(await Promise.all(values.map((v) => (v % 2 ? a : b).echo(v)))).toEqual(values);
    expect(server.connectionCount).toBe(n);
  });

  it('http: the pool opens at most `connections` sockets', async () => {
    const server = await serveEcho('http');
    const echo = clientWith(2).refer(Echo, { addresses: [server.address] });
    const values = Array.from({ length: 40 }, (_, i) => i);
    expect(await Promise.all(values.map((v) => echo.echo(v)))).toEqual(values);
    expect(server.connectionCount).toBeLessThanOrEqual(2);
  });

  it.each([0, 1.5, 257])('refuses connections: %s', (n) => {
    expect(() => new RpcClient({ connections: n })).toThrow('connections must be an integer in 1..256');
  });
});
