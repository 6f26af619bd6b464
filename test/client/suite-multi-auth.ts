import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Code, CreateMode, Ids, MultiError, Perms } from '@paddock/coord-client';
import { keeperFailure } from './suite-basics.js';
import type { SuiteContext } from './suite-context.js';
import { stateReached } from './waiting.js';

/** ZooKeeper's digest ACL id for user:password (DigestAuthenticationProvider.generateDigest). */
function digestId(user: string, password: string): string {
  return `${user}:${createHash('sha1').update(`${user}:${password}`).digest('base64')}`;
}

export function multiAndAuthTests(ctx: SuiteContext): void {
  describe('multi', () => {
    it('applies a transaction and returns typed results', async () => {
      const c = await ctx.connect();
      const base = await ctx.prepareBase();
      await c.create(`${base}/old`, 'x');
      const [made, seq, set, checked, deleted, ttl] = await c.transaction()
        .create(`${base}/new`, 'n')
        .create(`${base}/s-`, null, { mode: CreateMode.EPHEMERAL_SEQUENTIAL })
        .setData(`${base}/new`, 'n2', 0)
        .check(`${base}/new`, 1)
        .delete(`${base}/old`, 0)
        .create(`${base}/ttl`, null, { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 60_000 })
        .commit();
      expect(made).toEqual({ type: 'create', path: `${base}/new`, stat: null });
      expect(seq.path).toBe(`${base}/s-0000000002`);
      expect(set.type).toBe('setData');
      expect(set.stat.version).toBe(1);
      expect(checked).toEqual({ type: 'check' });
      expect(deleted).toEqual({ type: 'delete' });
      expect(ttl.path).toBe(`${base}/ttl`);
      expect(ttl.stat?.dataLength).toBe(0);
      expect((await c.getData(`${base}/new`)).data.toString()).toBe('n2');
      expect(await c.exists(`${base}/old`)).toBeNull();
      expect(await c.multi([])).toEqual([]);
    });

    it('rolls back a failed transaction and reports every op', async () => {
      const c = await ctx.connect();
      const base = await ctx.prepareBase();
      const err = await keeperFailure(c.multi([
        { type: 'create', path: `${base}/a` },
        { type: 'check', path: base, version: 7 },
        { type: 'setData', path: base, data: 'never' },
      ]));
      expect(err).toBeInstanceOf(MultiError);
      expect(err.code).toBe(Code.BadVersion);
      expect(err.path).toBe(base);
      const multi = err as MultiError;
      expect(multi.failedOp).toBe(1);
      expect(multi.results).toEqual([
        { type: 'error', err: Code.OK },
        { type: 'error', err: Code.BadVersion },
        { type: 'error', err: Code.RuntimeInconsistency },
      ]);
      expect(await c.exists(`${base}/a`)).toBeNull();
      const second = await keeperFailure(c.transaction().create(`${base}/b`).create(`${base}/b`).commit());
      expect(second.code).toBe(Code.NodeExists);
      expect(second.path).toBe(`${base}/b`);
      expect(await c.exists(`${base}/b`)).toBeNull();
    });

    it('reads several nodes in one round trip with per-op errors', async () => {
      const c = await ctx.connect();
      const base = await ctx.prepareBase();
      await c.create(`${base}/a`, 'A');
      await c.create(`${base}/a/k`);
      const results = await c.multiRead([
        { type: 'getData', path: `${base}/a` },
        { type: 'getChildren', path: `${base}/a` },
        { type: 'getData', path: `${base}/missing` },
      ]);
      expect(results).toHaveLength(3);
      expect(results[0]).toMatchObject({ type: 'getData', data: Buffer.from('A'), stat: { numChildren: 1 } });
      expect(results[1]).toEqual({ type: 'getChildren', children: ['k'] });
      expect(results[2]).toEqual({ type: 'error', err: Code.NoNode });
    });
  });

  describe('auth', () => {
    it('adds digest credentials; creator-only nodes refuse other sessions', async () => {
      const [owner, stranger] = await Promise.all([ctx.connect(), ctx.connect()]);
      const base = await ctx.prepareBase();
      await owner.addAuth('digest', 'ada:secret');
      await owner.create(`${base}/private`, 'p', { acl: Ids.CREATOR_ALL_ACL });
      expect((await owner.getACL(`${base}/private`)).acl).toEqual([
        { perms: Perms.ALL, id: { scheme: 'digest', id: digestId('ada', 'secret') } },
      ]);
      await stranger.sync(`${base}/private`);
      expect((await keeperFailure(stranger.getData(`${base}/private`))).code).toBe(Code.NoAuth);
      expect(await owner.whoAmI()).toContainEqual({ authScheme: 'digest', user: 'ada' });
      const friend = await ctx.connect({ authInfo: [{ scheme: 'digest', auth: 'ada:secret' }] });
      await friend.sync(`${base}/private`);
      expect((await friend.getData(`${base}/private`)).data.toString()).toBe('p');
    });

    it('fails the session on an unknown auth scheme', async () => {
      const c = await ctx.connect();
      const failed = stateReached(c, 'authFailed');
      const err = await keeperFailure(c.addAuth('no-such-scheme', 'x'));
      expect(err.code).toBe(Code.AuthFailed);
      await failed;
      expect((await keeperFailure(c.exists('/'))).code).toBe(Code.AuthFailed);
      const err2 = await keeperFailure(ctx.connect({ authInfo: [{ scheme: 'no-such-scheme', auth: 'x' }] }));
      expect(err2.code).toBe(Code.AuthFailed);
    });
  });
}
