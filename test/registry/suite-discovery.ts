import { describe, expect, it } from 'vitest';
import { Registry, fromNodeName, parseUrl, type Provider } from '@paddock/registry';
import { instance, type RegistryContext } from './registry-context.js';
import { ListRecorder, untilChildren } from './registry-waiting.js';

const ports = (list: readonly Provider[]): number[] => list.map((p) => p.port).sort((a, b) => a - b);

export function discoveryTests(ctx: RegistryContext): void {
  describe('register and discover', () => {
    it('a consumer sees registered providers, with every field, and sees them go', async () => {
      const provider = await ctx.open();
      const consumer = await ctx.open();
      const a = await provider.register(instance(20880, { weight: 50, params: { region: 'eu-1' } }));
      await provider.register(instance(20881));
      const sub = await consumer.discover('Greeter');
      expect(sub.status).toBe('live');
      expect(ports(sub.providers)).toEqual([20880, 20881]);
      const p = sub.providers.find((x) => x.port === 20880)!;
      expect(p).toMatchObject({
        url: a.url, service: 'Greeter', protocol: 'tcp', host: '127.0.0.1', address: '127.0.0.1:20880', version: '1.2.0',
        group: 'default', weight: 50, methods: ['hello', 'bye'], params: { region: 'eu-1' }, pid: process.pid,
      });
      expect(a.url).toMatch(/^tcp:\/\/127\.0\.0\.1:20880\/Greeter\?version=1\.2\.0&group=default&weight=50&methods=hello,bye&region=eu-1&pid=\d+&timestamp=\d+$/);
      expect(a.path).toBe(`${ctx.root()}/Greeter/providers/${encodeURIComponent(a.url)}`);
      const rec = new ListRecorder(sub);
      await a.unregister();
      await rec.untilPorts([20881]);
      await sub.close();
    });

    it('registers the consumer under consumers/ and removes it on close', async () => {
      const consumer = await ctx.open({ consumerHost: '10.1.2.3' });
      const raw = await ctx.suite.connect();
      const sub = await consumer.discover('Greeter', { version: '^1.0', group: 'blue' });
      const dir = `${ctx.root()}/Greeter/consumers`;
      const [name] = await untilChildren(raw, dir, 'the consumer node', (c) => c.length === 1);
      const url = parseUrl(fromNodeName(name!));
      expect(url).toMatchObject({ scheme: 'consumer', host: '10.1.2.3', port: null, path: 'Greeter' });
      expect(Object.fromEntries(url.params)).toMatchObject({ version: '^1.0', group: 'blue', pid: String(process.pid) });
      const owner = (await raw.exists(`${dir}/${name!}`))!.ephemeralOwner;
      expect(owner).toBe(consumer.client!.sessionId);
      await sub.close();
      // Another session's write: on an ensemble, raw's member has it after a sync.
      await raw.sync(dir);
      expect(await raw.getChildren(dir)).toEqual([]);
    });

    it('matches versions exactly, with "*" and with semver ranges, and groups', async () => {
      const provider = await ctx.open();
      const consumer = await ctx.open();
      await provider.register(instance(1, { version: '1.0.0' }));
      await provider.register(instance(2, { version: '1.2.0' }));
      await provider.register(instance(3, { version: '2.0.0' }));
      await provider.register(instance(4, { version: '1.3.0-beta.1' }));
      await provider.register(instance(5, { version: '1.2.0', group: 'canary' }));
      const seen = async (version?: string, group?: string): Promise<number[]> => {
        const sub = await consumer.discover('Greeter', { ...(version ? { version } : {}), ...(group ? { group } : {}) });
        const list = ports(sub.providers);
        await sub.close();
        return list;
      };
      expect(await seen()).toEqual([1, 2, 3, 4]);
      expect(await seen('*')).toEqual([1, 2, 3, 4]);
      expect(await seen('1.2.0')).toEqual([2]);
      expect(await seen('^1.0')).toEqual([1, 2]);
      expect(await seen('>=1.1.0 <3')).toEqual([2, 3]);
      expect(await seen('~1.2')).toEqual([2]);
      expect(await seen('1.3.0-beta.1')).toEqual([4]);
      expect(await seen('1.2.0', 'canary')).toEqual([5]);
      expect(await seen('1.2.0', 'default,canary')).toEqual([2, 5]);
      expect(await seen('*', '*')).toEqual([1, 2, 3, 4, 5]);
    });

    it('follows changes through on("change") and the async iterator, from watches', async () => {
      const provider = await ctx.open();
      const consumer = await ctx.open();
      const sub = await consumer.discover('Greeter', { version: '^1' });
      const iterated: number[][] = [];
      const iterating = (async () => {
        for await (const list of sub) {
          iterated.push(ports(list));
          if (list.length === 2) break;
        }
      })();
      const rec = new ListRecorder(sub);
      await provider.register(instance(7001));
      await rec.untilPorts([7001]);
      await provider.register(instance(7002));
      await rec.untilPorts([7001, 7002]);
      await iterating;
      expect(iterated[0]).toEqual([]);
      expect(iterated[iterated.length - 1]).toEqual([7001, 7002]);
      expect(rec.lists.map(ports)).toEqual([[7001], [7001, 7002]]);
      // Ended by close(): a waiting iterator finishes.
      const it2 = sub[Symbol.asyncIterator]();
      expect((await it2.next()).done).toBe(false);
      const pending = it2.next();
      await sub.close();
      expect((await pending).done).toBe(true);
    });

    it.each(['auto', 'oneShot'] as const)('ends on the exact list after a burst of concurrent joins and leaves (watchMode %s)', async (watchMode) => {
      const provider = await ctx.open();
      const consumer = await ctx.open({ watchMode });
      const sub = await consumer.discover('Greeter');
      const rec = new ListRecorder(sub);
      const ports = Array.from({ length: 30 }, (_, i) => 9000 + i);
      const regs = await Promise.all(ports.map((p) => provider.register(instance(p))));
      await Promise.all(regs.filter((_, i) => i % 2 === 0).map((r) => r.unregister()));
      await Promise.all([9100, 9101].map((p) => provider.register(instance(p))));
      await rec.untilPorts([...ports.filter((_, i) => i % 2 === 1), 9100, 9101]);
    });

    it('follows joins and leaves under a chroot in the connect string (event paths are chroot-relative)', async () => {
      const chroot = await ctx.suite.prepareBase();
      const connectString = `${ctx.suite.peer.connectString}${chroot}`;
      const opts = { sessionTimeout: 4000, root: '/svc' } as const;
      const provider = await Registry.connect(connectString, opts);
      const consumer = await Registry.connect(connectString, opts);
      try {
        const sub = await consumer.discover('Greeter');
        const rec = new ListRecorder(sub);
        const a = await provider.register(instance(5001));
        await provider.register(instance(5002));
        await rec.untilPorts([5001, 5002]);
        await a.unregister();
        await rec.untilPorts([5002]);
        const raw = await ctx.suite.connect();
        await raw.sync(`${chroot}/svc/Greeter/providers`);
        expect(await raw.getChildren(`${chroot}/svc/Greeter/providers`)).toHaveLength(1);
      } finally {
        await Promise.all([provider.close(), consumer.close()]);
      }
    });

    it('shares one watch per service between subscriptions and keeps each filter apart', async () => {
      const provider = await ctx.open();
      const consumer = await ctx.open();
      await provider.register(instance(1, { version: '1.0.0' }));
      const [v1, v2] = await Promise.all([consumer.discover('Greeter', { version: '^1' }), consumer.discover('Greeter', { version: '^2' })]);
      const rec2 = new ListRecorder(v2);
      await provider.register(instance(2, { version: '2.1.0' }));
      await rec2.untilPorts([2]);
      expect(ports(v1.providers)).toEqual([1]);
      await v1.close();
      await provider.register(instance(3, { version: '2.2.0' }));
      await rec2.untilPorts([2, 3]);
    });

    it('applies configurator overrides live: disabled, weight, per host and port, and clears them', async () => {
      const provider = await ctx.open();
      const consumer = await ctx.open();
      await provider.register(instance(1));
      await provider.register(instance(2));
      await provider.register(instance(3, { host: '127.0.0.2' }));
      const sub = await consumer.discover('Greeter');
      const rec = new ListRecorder(sub);
      const weights = (l: readonly Provider[]): string => l.map((p) => `${p.host}:${p.port}=${p.weight}`).sort().join(' ');
      await consumer.setOverride('Greeter', { host: '127.0.0.1', port: 2, disabled: true });
      await rec.untilPorts([1, 3]);
      await consumer.setOverride('Greeter', { weight: 7 });
      await rec.until('weight 7 for all', (l) => weights(l) === '127.0.0.1:1=7 127.0.0.2:3=7');
      await consumer.setOverride('Greeter', { host: '127.0.0.2', weight: 300 });
      await rec.until('host rule beats any-host rule', (l) => weights(l) === '127.0.0.1:1=7 127.0.0.2:3=300');
      // One rule per target: setting the same target again replaces it.
      await consumer.setOverride('Greeter', { host: '127.0.0.1', port: 2, disabled: false, weight: 1 });
      await rec.until('port 2 back', (l) => weights(l) === '127.0.0.1:1=7 127.0.0.1:2=1 127.0.0.2:3=300');
      const raw = await ctx.suite.connect();
      await raw.sync(`${ctx.root()}/Greeter/configurators`);
      expect(await raw.getChildren(`${ctx.root()}/Greeter/configurators`)).toHaveLength(3);
      await consumer.clearOverride('Greeter');
      await consumer.clearOverride('Greeter', { host: '127.0.0.1', port: 2 });
      await consumer.clearOverride('Greeter', { host: '127.0.0.2' });
      await rec.until('no overrides', (l) => weights(l) === '127.0.0.1:1=100 127.0.0.1:2=100 127.0.0.2:3=100');
      // The provider URLs themselves never change.
      expect(sub.providers.every((p) => p.url.includes('weight=100'))).toBe(true);
    });

    it('unregister is idempotent', async () => {
      const provider = await ctx.open();
      const consumer = await ctx.open();
      const sub = await consumer.discover('Greeter');
      const rec = new ListRecorder(sub);
      const a = await provider.register(instance(9));
      await rec.untilPorts([9]);
      await a.unregister();
      await a.unregister();
      await rec.untilPorts([]);
    });
  });
}
