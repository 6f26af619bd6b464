import { CoordClient, Ids, Perms } from '@paddock/coord-client';
import { Registry } from '@paddock/registry';
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { listed, within } from '../rpc/rpc-harness.js';
import { bearer, call, type RunningConsole } from './console-harness.js';

const digestId = (user: string, password: string): string =>
  `${user}:${createHash('sha1').update(`${user}:${password}`).digest('base64')}`;

/**
 * The console's API, the same against every coordination server: registry pages, config,
 * znodes and the credential rules. `serverPages` says whether server internals are expected.
 */
export function apiSuite(name: string, open: () => Promise<RunningConsole>, serverPages: boolean): void {
  it(`${name}: lists a service's providers, disables one by an override consumers see, and enables it again`, async () => {
    const c = await open();
    const registry = await Registry.connect(c.connectString);
    try {
      await registry.register({ service: 'ConsoleApi', protocol: 'tcp', host: '127.0.0.1', port: 21001, version: '1.0.0', methods: ['a', 'b'] });
      await registry.register({ service: 'ConsoleApi', protocol: 'tcp', host: '127.0.0.1', port: 21002, version: '1.0.0', weight: 50 });
      const sub = await registry.discover('ConsoleApi');
      // The consumer's node is written after discover() resolves: wait for it.
      await expect.poll(async () => (await call(c, 'GET', '/services')).body.services, { timeout: 10_000 })
        .toContainEqual({ service: 'ConsoleApi', providers: 2, consumers: 1, overrides: 0 });
      const off = await call(c, 'POST', '/services/ConsoleApi/override', { host: '127.0.0.1', port: 21001, disabled: true }, bearer);
      expect(off.status).toBe(200);
      await listed(sub, 'the disabled provider gone', (l) => l.map((p) => p.port).join() === '21002');
      const detail = await call(c, 'GET', '/services/ConsoleApi');
      const rows = detail.body.providers as { port: number; disabled: boolean; methods: string[]; effectiveWeight: number }[];
      expect(rows.map((p) => [p.port, p.disabled, p.effectiveWeight])).toEqual([[21001, true, 100], [21002, false, 50]]);
      expect((detail.body.consumers as unknown[]).length).toBe(1);
      // A weight kept with the rule, then enabled: the rule keeps only the weight.
      await call(c, 'POST', '/services/ConsoleApi/override', { host: '127.0.0.1', port: 21001, weight: 7 }, bearer);
      await call(c, 'POST', '/services/ConsoleApi/override', { host: '127.0.0.1', port: 21001, disabled: false }, bearer);
      await listed(sub, 'both providers, one re-weighted', (l) => l.map((p) => `${p.port}:${p.weight}`).sort().join() === '21001:7,21002:50');
    } finally {
      await registry.close();
      await c.stop();
    }
  });

  it(`${name}: sets a config key from JSON text, refuses text that is not JSON, and reads it back`, async () => {
    const c = await open();
    try {
      const bad = await call(c, 'PUT', '/config/app/limit', { text: '{oops' }, bearer);
      expect([bad.status, bad.body.code]).toEqual([400, 'NOT_JSON']);
      expect((await call(c, 'PUT', '/config/app/limit', { text: '{"max": 3}' }, bearer)).status).toBe(200);
      const got = await call(c, 'GET', '/config/app/limit');
      expect(got.body.value).toEqual({ max: 3 });
      expect((await call(c, 'GET', '/config')).body.namespaces).toContainEqual({ namespace: 'app', keys: ['limit'], truncated: false });
    } finally {
      await c.stop();
    }
  });

  it(`${name}: browses znodes in pages with Stat and ACL, and sets and deletes with a version check`, async () => {
    const c = await open();
    const zk = await CoordClient.connect(c.connectString);
    try {
      await zk.create('/paged');
      await Promise.all(Array.from({ length: 250 }, (_, i) => zk.create(`/paged/n${String(i).padStart(3, '0')}`)));
      const page = await call(c, 'GET', '/znodes/children?path=/paged&offset=200&limit=100');
      expect(page.body).toMatchObject({ total: 250, numChildren: 250, offset: 200 });
      expect((page.body.children as string[]).slice(0, 2)).toEqual(['n200', 'n201']);
      expect((await call(c, 'GET', '/znodes/children?path=/paged&prefix=n24')).body.total).toBe(10);
      await call(c, 'POST', '/znodes/node', { path: '/paged/doc', data: '{"a":1}' }, bearer);
      const node = await call(c, 'GET', '/znodes/node?path=/paged/doc');
      expect(Buffer.from(node.body.data as string, 'base64').toString()).toBe('{"a":1}');
      expect(node.body.stat).toMatchObject({ version: 0, dataLength: 7, numChildren: 0, ephemeralOwner: '0x0' });
      expect(node.body.acl).toEqual([{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }]);
      const stale = await call(c, 'PUT', '/znodes/node', { path: '/paged/doc', data: 'x', version: 5 }, bearer);
      expect([stale.status, stale.body.code]).toEqual([409, 'BadVersion']);
      expect((await call(c, 'PUT', '/znodes/node', { path: '/paged/doc', data: 'x', version: 0 }, bearer)).status).toBe(200);
      expect((await call(c, 'DELETE', '/znodes/node?path=/paged/doc&version=1', undefined, bearer)).status).toBe(200);
      expect((await call(c, 'GET', '/znodes/node?path=/paged/doc')).status).toBe(404);
    } finally {
      await zk.close();
      await c.stop();
    }
  });

  it(`${name}: refuses changes without a credential, with a cookie but no CSRF header, and from another origin; a digest identity meets the ACLs`, async () => {
    const c = await open();
    const zk = await CoordClient.connect(c.connectString);
    try {
      const none = await call(c, 'POST', '/znodes/node', { path: '/nope' });
      expect([none.status, none.body.code]).toEqual([401, 'NO_CREDENTIAL']);
      expect((await call(c, 'POST', '/znodes/node', { path: '/nope' }, { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
      const login = await call(c, 'POST', '/login', { token: 'console-test-token-0123456789' });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
      expect(login.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
      const noCsrf = await call(c, 'POST', '/znodes/node', { path: '/nope' }, { cookie });
      expect([noCsrf.status, noCsrf.body.code]).toEqual([403, 'CSRF']);
      const csrf = { cookie, 'x-paddock-csrf': login.body.csrf as string };
      const foreign = await call(c, 'POST', '/znodes/node', { path: '/nope' }, { ...csrf, origin: 'http://evil.example' });
      expect([foreign.status, foreign.body.code]).toEqual([403, 'CROSS_ORIGIN']);
      expect((await call(c, 'GET', '/znodes/node?path=/nope')).status).toBe(404);
      expect((await call(c, 'POST', '/znodes/node', { path: '/yes' }, csrf)).status).toBe(200);
      // A node only alice may write: bob's identity is refused by the server, alice's is not.
      await zk.create('/alice', 'v0', { acl: [{ perms: Perms.ALL, id: { scheme: 'digest', id: digestId('alice', 'pw-a') } }, ...Ids.READ_ACL_UNSAFE] });
      const as = async (digest: string) => {
        const l = await call(c, 'POST', '/login', { digest });
        const ck = (l.headers.get('set-cookie') ?? '').split(';')[0] as string;
        return call(c, 'PUT', '/znodes/node', { path: '/alice', data: digest, version: -1 }, { cookie: ck, 'x-paddock-csrf': l.body.csrf as string });
      };
      const bob = await as('bob:pw-b');
      expect([bob.status, bob.body.code]).toEqual([403, 'NoAuth']);
      expect((await as('alice:pw-a')).status).toBe(200);
      expect((await zk.getData('/alice')).data.toString()).toBe('alice:pw-a');
    } finally {
      await zk.close();
      await c.stop();
    }
  });

  it(`${name}: pushes tree changes to an open page as server-sent events, from a watch`, async () => {
    const c = await open();
    const zk = await CoordClient.connect(c.connectString);
    const abort = new AbortController();
    try {
      const res = await fetch(`${c.url}/api/events`, { signal: abort.signal });
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      const until = async (re: RegExp): Promise<void> => {
        while (!re.test(text)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${re}: ${text}`);
          text += Buffer.from(value).toString();
        }
      };
      // The watch is set once the console's session is up; then a write by another client shows.
      await within(until(/event: status\ndata: \{"connected":true\}/), 'the watch to be set');
      await zk.create('/pushed', 'x');
      await within(until(/event: changes\ndata: .*"path":"\/pushed"/), 'the change pushed');
      expect(text).toMatch(/"type":"created","path":"\/pushed"/);
    } finally {
      abort.abort();
      await zk.close();
      await c.stop();
    }
  });

  it(`${name}: server pages ${serverPages ? 'show the server\'s numbers and sessions' : 'say what they cannot show'}`, async () => {
    const c = await open();
    try {
      await call(c, 'GET', '/services'); // opens the console's own session
      const overview = await call(c, 'GET', '/overview');
      const sessions = await call(c, 'GET', '/sessions');
      const server = overview.body.server as Record<string, unknown>;
      if (serverPages) {
        expect(server).toMatchObject({ available: true, server_state: 'standalone' });
        expect(typeof server.znode_count).toBe('number');
        expect(typeof server.zxid).toBe('number');
        expect((sessions.body.connections as unknown[]).length).toBeGreaterThan(0);
      } else {
        expect(server.available).toBe(false);
        expect(server.reason).toMatch(/Server internals are not available/);
        expect((sessions.body.server as Record<string, unknown>).reason).toMatch(/client protocol only/);
      }
    } finally {
      await c.stop();
    }
  });
}
