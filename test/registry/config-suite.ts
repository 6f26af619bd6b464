import { afterEach, describe, expect, it } from 'vitest';
import { Code, CoordClient, KeeperError } from '@paddock/coord-client';
import { ConfigCenter, ConfigValueError, RegistryError, type ConfigCenterConnectOptions } from '@paddock/registry';
import { useSuiteContext, type StartPeer, type SuiteContext } from '../client/suite-context.js';
import type { TcpProxy } from '../client/tcp-proxy.js';
import { UpdateRecorder, nextEvent } from './config-waiting.js';
import { faults } from './config-suite-faults.js';

/**
 * The config center suite, written once and run against our server and Apache ZooKeeper: call
 * it inside a describe block with a function that starts one.
 */
export function configSuite(start: StartPeer): void {
  const ctx = useSuiteContext(start);
  const centers: ConfigCenter[] = [];
  let counter = 0;
  afterEach(async () => {
    await Promise.all(centers.splice(0).map((c) => c.close()));
  });
  /** A namespace no other test (or earlier run on a kept data dir) uses. */
  const ns = (): string => `ns${++counter}-${process.pid}`;
  /** A center on a session of the suite's (closed after each test), through a proxy when given one. */
  const center = async (opts: { via?: TcpProxy } = {}): Promise<ConfigCenter> => {
    const c = new ConfigCenter(await ctx.connect(opts));
    centers.push(c);
    return c;
  };
  const owned = async (connectString: string, opts: ConfigCenterConnectOptions = {}): Promise<ConfigCenter> => {
    const c = await ConfigCenter.connect(connectString, { sessionTimeout: 10_000, reconnect: { baseDelayMs: 10 }, ...opts });
    centers.push(c);
    return c;
  };

  basics(ctx, center, ns);
  badInput(ctx, center, ns);
  watching(ctx, center, ns);
  faults(ctx, center, owned, ns);
}

/** Opens a center on a session of the suite's, through a proxy when given one. */
export type Open = (opts?: { via?: TcpProxy }) => Promise<ConfigCenter>;

function basics(ctx: SuiteContext, center: Open, ns: () => string): void {
  describe('get, set, delete, list', () => {
    it('round-trips every kind of JSON value', async () => {
      const cfg = await center();
      const n = ns();
      const values = {
        flag: true, off: false, nothing: null, count: 42, ratio: -0.25, text: 'héllo "world"\n',
        list: [1, 'two', [3], { four: 4 }], object: { nested: { deep: [true, null] }, empty: {} }, empty: '',
      };
      for (const [k, v] of Object.entries(values)) await cfg.set(n, k, v);
      for (const [k, v] of Object.entries(values)) expect(await cfg.get(n, k), k).toEqual(v);
      // Stored as plain JSON text, so any ZooKeeper tool shows and writes it.
      expect((await cfg.client.getData(`/config/${n}/object`)).data.toString()).toBe('{"nested":{"deep":[true,null]},"empty":{}}');
    });

    it('creates /config and the namespace on first set, overwrites on the next', async () => {
      const cfg = await center();
      const n = ns();
      expect(await cfg.client.exists(`/config/${n}`)).toBeNull();
      await cfg.set(n, 'k', 1);
      expect(await cfg.client.exists(`/config/${n}`)).not.toBeNull();
      await cfg.set(n, 'k', 2);
      expect(await cfg.get(n, 'k')).toBe(2);
      expect((await cfg.client.exists(`/config/${n}/k`))?.version).toBe(1);
    });

    it('reads a missing key as undefined and a missing namespace as empty', async () => {
      const cfg = await center();
      const n = ns();
      expect(await cfg.get(n, 'nope')).toBeUndefined();
      expect(await cfg.list(n)).toEqual([]);
      expect(await cfg.delete(n, 'nope')).toBe(false);
    });

    it('lists keys sorted and namespaces, and deletes', async () => {
      const cfg = await center();
      const n = ns();
      for (const k of ['zeta', 'alpha', 'mid.dle', 'a-b_c:d']) await cfg.set(n, k, k);
      expect(await cfg.list(n)).toEqual(['a-b_c:d', 'alpha', 'mid.dle', 'zeta']);
      expect(await cfg.namespaces()).toContain(n);
      expect(await cfg.delete(n, 'alpha')).toBe(true);
      expect(await cfg.get(n, 'alpha')).toBeUndefined();
      expect(await cfg.list(n)).toEqual(['a-b_c:d', 'mid.dle', 'zeta']);
    });

    it('sees writes of another session at once', async () => {
      const [a, b] = await Promise.all([center(), center()]);
      const n = ns();
      await a.set(n, 'shared', { v: 1 });
      // On an ensemble b's member may lag a's write until b syncs (ZooKeeper's rule).
      await b.client.sync(`/config/${n}`);
      expect(await b.get(n, 'shared')).toEqual({ v: 1 });
    });
  });
}

function badInput(ctx: SuiteContext, center: Open, ns: () => string): void {
  describe('bad input', () => {
    it('rejects invalid namespaces and keys with an error naming them, before sending anything', async () => {
      const cfg = await center();
      const n = ns();
      await expect(cfg.get('', 'k')).rejects.toThrow('invalid config namespace "": must not be empty');
      await expect(cfg.set('a/b', 'k', 1)).rejects.toThrow(/invalid config namespace "a\/b": must start with a letter or digit/);
      await expect(cfg.set(n, '..', 1)).rejects.toThrow(`invalid config key ".." in namespace "${n}"`);
      await expect(cfg.delete(n, 'with space')).rejects.toThrow(`invalid config key "with space" in namespace "${n}"`);
      await expect(cfg.list('über')).rejects.toThrow('invalid config namespace "über"');
      await expect(cfg.watch(n, 'x/y', () => undefined)).rejects.toThrow(`invalid config key "x/y" in namespace "${n}"`);
      await expect(cfg.toggle(n, '', false)).rejects.toThrow(`invalid config key "" in namespace "${n}": must not be empty`);
      await expect(cfg.get(n, 'k'.repeat(256))).rejects.toThrow(/must be at most 255 characters, got 256/);
      await expect(cfg.get(7 as unknown as string, 'k')).rejects.toThrow('invalid config namespace 7: must be a string, got number');
      expect(await cfg.client.exists(`/config/${n}`)).toBeNull();
    });

    it('refuses values JSON cannot carry or a znode cannot hold, and non-boolean toggle defaults', async () => {
      const cfg = await center();
      const n = ns();
      await expect(cfg.set(n, 'k', undefined as unknown as null)).rejects.toThrow(`config ${n}/k: undefined is not a JSON value`);
      await expect(cfg.set(n, 'k', (() => 1) as unknown as null)).rejects.toThrow('function is not a JSON value');
      await expect(cfg.set(n, 'k', 10n as unknown as null)).rejects.toThrow('value cannot be written as JSON');
      await expect(cfg.toggle(n, 'k', 'yes' as unknown as boolean)).rejects.toThrow(`toggle ${n}/k needs a boolean default, got string`);
      await expect(cfg.watch(n, 'k', undefined as unknown as () => void)).rejects.toThrow('needs a listener function');
      expect(() => new ConfigCenter('127.0.0.1:2181' as unknown as CoordClient)).toThrow(/use ConfigCenter.connect/);
      expect(await cfg.client.exists(`/config/${n}`)).toBeNull();
    });

    it('refuses a value whose request the server would refuse, naming the key and the size; the largest that fits is taken', async () => {
      for (const chroot of [undefined, '/app-root']) {
        const client = await ctx.connect();
        if (chroot) await client.create(chroot, null).catch((e: unknown) => { if (!(e instanceof KeeperError && e.code === Code.NodeExists)) throw e; });
        const cfg = new ConfigCenter(await ctx.connect(chroot ? { chroot } : {}));
        const n = ns();
        const serverPath = `${chroot ?? ''}/config/${n}/k`;
        // 0xfffff for the whole create request: 47 bytes around the data (header, lengths, world:anyone, flags) and the path.
        const largest = 0xfffff - 47 - serverPath.length;
        const fits = 'x'.repeat(largest - 2);
        await cfg.set(n, 'k', fits);
        expect(await cfg.get(n, 'k')).toBe(fits);
        await cfg.delete(n, 'k');
        const tooBig = cfg.set(n, 'k', `${fits}x`);
        await expect(tooBig).rejects.toThrow(RegistryError);
        await expect(tooBig).rejects.toMatchObject({
          code: 'VALUE_TOO_LARGE', value: largest + 1,
          message: `config ${n}/k: value is ${largest + 1} bytes as JSON; at ${serverPath} a key holds at most ${largest} `
            + `(the request must fit the server's jute.maxbuffer, 1048575 bytes, path and ACL included)`,
        });
        // Nothing was sent: the session is still there, and so is everything else.
        expect(cfg.client.state).toBe('connected');
        expect(await cfg.get(n, 'k')).toBeUndefined();
        await cfg.close();
        await client.close();
      }
    });

    it('reports data that is not JSON (written by another tool) without failing the rest', async () => {
      const cfg = await center();
      const n = ns();
      await cfg.set(n, 'good', 1);
      await cfg.client.create(`/config/${n}/bad`, 'yes please');
      await cfg.client.create(`/config/${n}/binary`, Buffer.from([0xff, 0xfe, 0x00]));
      await cfg.client.create(`/config/${n}/nodata`, null);
      const err = await cfg.get(n, 'bad').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigValueError);
      expect(err).toMatchObject({ namespace: n, key: 'bad', message: `config ${n}/bad holds "yes please": not JSON` });
      expect((err as ConfigValueError).raw.toString()).toBe('yes please');
      await expect(cfg.get(n, 'binary')).rejects.toThrow(`config ${n}/binary holds`);
      await expect(cfg.get(n, 'binary')).rejects.toThrow('not UTF-8');
      await expect(cfg.get(n, 'nodata')).rejects.toThrow(`config ${n}/nodata holds no data: not JSON`);
      expect(await cfg.get(n, 'good')).toBe(1);
      expect(await cfg.list(n)).toEqual(['bad', 'binary', 'good', 'nodata']);
      await cfg.set(n, 'bad', 'fixed');
      expect(await cfg.get(n, 'bad')).toBe('fixed');
    });

    it('passes on what the server refuses as KeeperErrors', async () => {
      const cfg = await center();
      const n = ns();
      await cfg.set(n, 'k', 1);
      await cfg.client.create(`/config/${n}/k/child`);
      const err = await cfg.delete(n, 'k').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KeeperError);
      expect(err).toMatchObject({ code: Code.NotEmpty, path: `/config/${n}/k` });
    });
  });
}

function watching(ctx: SuiteContext, center: Open, ns: () => string): void {
  describe('watch and toggle', () => {
    it('delivers the current state, then every change made by another session', async () => {
      const [reader, writer] = await Promise.all([center(), center()]);
      const n = ns();
      const rec = new UpdateRecorder();
      const watch = await reader.watch(n, 'k', rec.listener);
      expect(rec.updates).toEqual([{ kind: 'missing', namespace: n, key: 'k' }]);
      await rec.next();
      await writer.set(n, 'k', { limit: 10 });
      expect(await rec.next()).toEqual({ kind: 'value', namespace: n, key: 'k', value: { limit: 10 }, version: 0 });
      await writer.set(n, 'k', { limit: 20 });
      expect(await rec.next()).toMatchObject({ kind: 'value', value: { limit: 20 }, version: 1 });
      await writer.delete(n, 'k');
      expect(await rec.next()).toMatchObject({ kind: 'missing' });
      await writer.set(n, 'k', 'back');
      expect(await rec.next()).toMatchObject({ kind: 'value', value: 'back', version: 0 });
      watch.close();
      const other = new UpdateRecorder();
      await reader.watch(n, 'k', other.listener);
      expect(await other.nextValue()).toBe('back');
      await writer.set(n, 'k', 'after close');
      expect(await other.nextValue()).toBe('after close');
      expect(rec.updates.map((u) => u.kind)).toEqual(['missing', 'value', 'value', 'missing', 'value']);
    });

    it('starts from the value already there and shares one watch between listeners', async () => {
      const [reader, writer] = await Promise.all([center(), center()]);
      const n = ns();
      await writer.set(n, 'k', 1);
      await reader.client.sync(`/config/${n}`);
      const [a, b] = [new UpdateRecorder(), new UpdateRecorder()];
      const wa = await reader.watch(n, 'k', a.listener);
      await reader.watch(n, 'k', b.listener);
      expect(await a.next()).toMatchObject({ kind: 'value', value: 1 });
      expect(await b.next()).toMatchObject({ kind: 'value', value: 1 });
      wa.close();
      await writer.set(n, 'k', 2);
      expect(await b.nextValue()).toBe(2);
      expect(a.updates).toHaveLength(1);
    });

    it('goes on after a listener throws', async () => {
      const [reader, writer] = await Promise.all([center(), center()]);
      const n = ns();
      let calls = 0;
      await reader.watch(n, 'k', () => {
        calls++;
        throw new Error('listener bug');
      });
      const rec = new UpdateRecorder();
      await reader.watch(n, 'k', rec.listener);
      await writer.set(n, 'k', 1);
      expect(await rec.nextValue()).toBe(1);
      expect(calls).toBe(2);
    });

    it('reports bad data to a watch and goes on watching', async () => {
      const [reader, writer] = await Promise.all([center(), center()]);
      const n = ns();
      const rec = new UpdateRecorder();
      await writer.set(n, 'k', 1);
      await reader.watch(n, 'k', rec.listener);
      expect(await rec.nextValue()).toBe(1);
      await writer.client.setData(`/config/${n}/k`, '{oops');
      const bad = await rec.next();
      expect(bad).toMatchObject({ kind: 'invalid', version: 1 });
      expect(bad.kind === 'invalid' && bad.error).toBeInstanceOf(ConfigValueError);
      expect(bad.kind === 'invalid' && bad.error.message).toBe(`config ${n}/k holds "{oops": not JSON`);
      await writer.set(n, 'k', 2);
      expect(await rec.next()).toMatchObject({ kind: 'value', value: 2 });
    });

    it('keeps a toggle current: default while missing, live values, bad data reported', async () => {
      const [reader, writer] = await Promise.all([center(), center()]);
      const n = ns();
      const t = await reader.toggle(n, 'dark-mode', false);
      expect(t.value).toBe(false);
      expect(t.defaultValue).toBe(false);
      // Each wait starts before its write: on an ensemble the reader's member may apply the
      // change and the toggle report it before the writer's member answers the write.
      let next = nextEvent(t, 'change');
      await writer.set(n, 'dark-mode', true);
      expect(await next).toEqual([true, false]);
      expect(t.value).toBe(true);
      let invalid = nextEvent<[ConfigValueError]>(t, 'invalid');
      await writer.set(n, 'dark-mode', 'yes');
      const [wrongType] = await invalid;
      expect(wrongType.message).toBe(`config ${n}/dark-mode holds "\\"yes\\"": expected a boolean`);
      expect(t.value).toBe(true);
      invalid = nextEvent<[ConfigValueError]>(t, 'invalid');
      await writer.client.setData(`/config/${n}/dark-mode`, 'on');
      const [notJson] = await invalid;
      expect(notJson.message).toMatch(/not JSON/);
      expect(t.value).toBe(true);
      next = nextEvent(t, 'change');
      await writer.delete(n, 'dark-mode');
      expect(await next).toEqual([false, true]);
      t.close();
      const changes: boolean[] = [];
      t.on('change', (v) => changes.push(v));
      await writer.set(n, 'dark-mode', true);
      // Another toggle on the same key proves the write went out; the closed one stayed put.
      await reader.client.sync(`/config/${n}`);
      const probe = await reader.toggle(n, 'dark-mode', false);
      expect(probe.value).toBe(true);
      expect(t.value).toBe(false);
      expect(changes).toEqual([]);
    });

    it('starts a toggle from the value already set', async () => {
      const [reader, writer] = await Promise.all([center(), center()]);
      const n = ns();
      await writer.set(n, 'on', true);
      await writer.set(n, 'odd', 3);
      await reader.client.sync(`/config/${n}`);
      expect((await reader.toggle(n, 'on', false)).value).toBe(true);
      expect((await reader.toggle(n, 'odd', true)).value).toBe(true);
    });

    it('refuses more watched keys than maxWatchedKeys, naming the bound', async () => {
      const cfg = new ConfigCenter(await ctx.connect(), { maxWatchedKeys: 2 });
      const n = ns();
      await cfg.watch(n, 'a', () => undefined);
      await cfg.watch(n, 'a', () => undefined);
      const b = await cfg.watch(n, 'b', () => undefined);
      await expect(cfg.watch(n, 'c', () => undefined)).rejects.toThrow(`cannot watch config ${n}/c: 2 keys are watched already (maxWatchedKeys)`);
      b.close();
      await cfg.watch(n, 'c', () => undefined);
      await cfg.close();
      await expect(cfg.watch(n, 'd', () => undefined)).rejects.toThrow('ConfigCenter is closed');
      expect(cfg.client.state).toBe('connected');
    });
  });
}
