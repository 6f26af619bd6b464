import { describe, expect, it } from 'vitest';
import { CreateMode } from '@paddock/coord-client';
import { RegistryError, formatProviderUrl, toNodeName, type ProviderInstance } from '@paddock/registry';
import { OPTION_ERROR_CODE, OptionError } from '@paddock/edges';
import { instance, type RegistryContext } from './registry-context.js';
import { ListRecorder, MemoryLogger } from './registry-waiting.js';

/** The RegistryError a call rejects with (fails the test when it resolves or throws something else). */
async function registryError(p: Promise<unknown>): Promise<RegistryError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(RegistryError);
  return err as RegistryError;
}

/** The OptionError a call rejects with (fails the test when it resolves or throws something else). */
async function optionError(p: Promise<unknown>): Promise<OptionError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(OptionError);
  return err as OptionError;
}

export function badInputTests(ctx: RegistryContext): void {
  describe('bad input', () => {
    it('rejects bad instances with a RegistryError naming the value, and writes nothing', async () => {
      const registry = await ctx.open();
      const cases: [Partial<ProviderInstance> & Record<string, unknown>, string, unknown][] = [
        [{ service: 'a/b' }, 'INVALID_SERVICE', 'a/b'],
        [{ service: '' }, 'INVALID_SERVICE', ''],
        [{ service: '..' }, 'INVALID_SERVICE', '..'],
        [{ service: 'has space' }, 'INVALID_SERVICE', 'has space'],
        [{ version: '1.2' }, 'INVALID_VERSION', '1.2'],
        [{ version: 'v1.2.0' }, 'INVALID_VERSION', 'v1.2.0'],
        [{ version: '^1.2.0' }, 'INVALID_VERSION', '^1.2.0'],
        [{ host: 'bad host' }, 'INVALID_HOST', 'bad host'],
        [{ host: '300.1.1.1' }, 'INVALID_HOST', '300.1.1.1'],
        [{ host: '' }, 'INVALID_HOST', ''],
        [{ port: 0 }, 'INVALID_PORT', 0],
        [{ port: 65536 }, 'INVALID_PORT', 65536],
        [{ port: 80.5 }, 'INVALID_PORT', 80.5],
        [{ protocol: 'dubbo' as 'tcp' }, 'INVALID_PROTOCOL', 'dubbo'],
        [{ weight: -1 }, 'INVALID_WEIGHT', -1],
        [{ methods: ['ok', 'not-a-name'] }, 'INVALID_METHODS', 'not-a-name'],
        [{ params: { version: '9' } }, 'INVALID_PARAM', 'version'],
        [{ params: { 'bad key': 'x' } }, 'INVALID_PARAM', 'bad key'],
        [{ group: 'a,b' }, 'INVALID_GROUP', 'a,b'],
      ];
      for (const [over, code, value] of cases) {
        const err = await registryError(registry.register(instance(1, over)));
        expect({ code: err.code, value: err.value }, JSON.stringify(over)).toEqual({ code, value });
        expect(err.message).toContain(typeof value === 'string' ? JSON.stringify(value) : String(value));
      }
      const raw = await ctx.suite.connect();
      expect(await raw.exists(ctx.root())).toBeNull();
    });

    it('rejects bad service names, version specs and groups in discover()', async () => {
      const registry = await ctx.open();
      expect((await registryError(registry.discover('a/b'))).code).toBe('INVALID_SERVICE');
      expect((await registryError(registry.discover('Greeter', { version: 'newest' }))).code).toBe('INVALID_VERSION');
      expect((await registryError(registry.discover('Greeter', { version: '' }))).code).toBe('INVALID_VERSION');
      expect((await registryError(registry.discover('Greeter', { group: 'a b' }))).code).toBe('INVALID_GROUP');
      expect((await registryError(registry.setOverride('Greeter', {}))).code).toBe('INVALID_OVERRIDE');
      expect((await registryError(registry.setOverride('Greeter', { host: 'no such host!', weight: 1 }))).code).toBe('INVALID_HOST');
    });

    it('rejects bad options and calls after close()', async () => {
      const err = await optionError(ctx.open({ root: 'services' }));
      expect(err).toMatchObject({ code: OPTION_ERROR_CODE, option: 'root', value: 'services' });
      expect(await optionError(ctx.open({ sessionTimeout: -5 }))).toMatchObject({ code: OPTION_ERROR_CODE, option: 'sessionTimeout', value: -5 });
      expect(await optionError(ctx.open({ reconnect: { jitter: 2 } }))).toMatchObject({ code: OPTION_ERROR_CODE, option: 'reconnect.jitter', value: 2 });
      expect(await optionError(ctx.open({ watchMode: 'poll' as never }))).toMatchObject({ code: OPTION_ERROR_CODE, option: 'watchMode', value: 'poll' });
      const registry = await ctx.open();
      await registry.close();
      expect((await registryError(registry.register(instance(1)))).code).toBe('CLOSED');
      expect((await registryError(registry.discover('Greeter'))).code).toBe('CLOSED');
    });

    it('skips malformed provider and configurator nodes written by someone else, logging each once', async () => {
      const logger = new MemoryLogger();
      const provider = await ctx.open();
      const consumer = await ctx.open({ logger });
      const raw = await ctx.suite.connect();
      const good = await provider.register(instance(1));
      const dir = `${ctx.root()}/Greeter/providers`;
      const bad = [
        'garbage',
        toNodeName('tcp://127.0.0.1:2/Greeter?version=banana'),
        toNodeName('tcp://127.0.0.1:3/Other?version=1.2.0'),
        toNodeName('ftp://127.0.0.1:4/Greeter?version=1.2.0'),
        toNodeName('tcp://127.0.0.1/Greeter?version=1.2.0'),
        toNodeName('tcp://127.0.0.1:5/Greeter?version=1.2.0&weight=heavy'),
        '%E0%A4%A',
      ];
      for (const name of bad) await raw.create(`${dir}/${name}`, null, { mode: CreateMode.EPHEMERAL });
      await raw.create(`${ctx.root()}/Greeter/configurators`);
      await raw.create(`${ctx.root()}/Greeter/configurators/${toNodeName('override://0.0.0.0/Greeter?weight=lots')}`);
      const sub = await consumer.discover('Greeter');
      expect(sub.providers.map((p) => p.url)).toEqual([good.url]);
      expect(sub.status).toBe('live');
      const skipped = logger.warnings('skipping malformed node');
      expect(skipped.map((e) => e.fields.node).sort()).toEqual([...bad, toNodeName('override://0.0.0.0/Greeter?weight=lots')].sort());
      expect(skipped.every((e) => typeof e.fields.reason === 'string' && e.fields.service === 'Greeter')).toBe(true);
      // A later change lists the same bad nodes again; they are not logged twice.
      const rec = new ListRecorder(sub);
      await provider.register(instance(6));
      await rec.untilPorts([1, 6]);
      expect(logger.warnings('skipping malformed node')).toHaveLength(skipped.length);
    });

    it('formats the same URL it parses, the one module the rpc package reuses', () => {
      const url = formatProviderUrl(instance(20880, { host: '::1', params: { zone: 'a b&c' } }), { pid: 7, timestamp: 9 });
      expect(url).toBe('tcp://[::1]:20880/Greeter?version=1.2.0&group=default&weight=100&methods=hello,bye&zone=a%20b%26c&pid=7&timestamp=9');
    });
  });
}
