import { describe, expect, it } from 'vitest';
import type { CoordClient } from '@paddock/coord-client';
import { ActiveStandby, LeaderElection, RecipeError } from '@paddock/coord-client/recipes';
import type { SuiteContext } from '../client/suite-context.js';
import type { TcpProxy } from '../client/tcp-proxy.js';
import { failure, nextEvent, stateReached, within } from './support.js';

/** The order in which participants said they lead or stopped leading, across the whole test. */
class Timeline {
  readonly entries: string[] = [];
  private leading = new Set<string>();
  maxLeaders = 0;

  follow(name: string, e: LeaderElection): void {
    e.on('leader', () => { this.entries.push(`${name} leader`); this.leading.add(name); this.maxLeaders = Math.max(this.maxLeaders, this.leading.size); });
    e.on('lost', (r) => { this.entries.push(`${name} lost ${r.code}`); this.leading.delete(name); });
  }

  get leaders(): string[] {
    return [...this.leading];
  }
}

/** Waits until `n` of the participants lead (checked on each leader event). */
function leaderAmong(parts: readonly LeaderElection[]): Promise<LeaderElection> {
  return within('a leader', (done) => {
    const check = (): void => {
      const leaders = parts.filter((p) => p.isLeader);
      if (leaders.length > 0) done(leaders[0]!);
    };
    for (const p of parts) p.on('leader', check);
    check();
    return () => { for (const p of parts) p.off('leader', check); };
  });
}

export function electionTests(ctx: SuiteContext): void {
  const cutOff = async (ms: number): Promise<{ proxy: TcpProxy; client: CoordClient }> => {
    const proxy = await ctx.proxy();
    const client = await ctx.connect({ via: proxy, sessionTimeout: ms, retry: { baseDelayMs: 10, maxDelayMs: 100 } });
    return { proxy, client };
  };

  describe('LeaderElection', () => {
    it('elects exactly one of five, and exactly one new leader when its session is closed', async () => {
      const dir = `${await ctx.prepareBase()}/election`;
      const clients = await Promise.all([0, 1, 2, 3, 4].map(() => ctx.connect()));
      const parts = clients.map((c, i) => new LeaderElection(c, dir, { id: `p${i}` }));
      const timeline = new Timeline();
      parts.forEach((p, i) => timeline.follow(`p${i}`, p));
      await Promise.all(parts.map((p) => p.start()));
      expect(parts.filter((p) => p.isLeader)).toHaveLength(1);
      const first = parts.find((p) => p.isLeader)!;
      // The others' nodes came from other sessions: first's member has them after a sync.
      await clients[parts.indexOf(first)]!.sync(dir);
      expect((await first.participants()).map((x) => x.isLeader)).toEqual([true, false, false, false, false]);
      expect((await first.participants())[0]!.id).toBe(first.id);
      const rest = parts.filter((p) => p !== first);
      const closed = nextEvent<[RecipeError | null]>(first, 'closed');
      const closing = clients[parts.indexOf(first)]!.close();
      // Leadership ends as close() is called, before closeSession can let the next one in.
      expect(first.isLeader).toBe(false);
      expect(timeline.leaders).toEqual([]);
      await closing;
      const [reason] = await closed;
      expect(reason?.code).toBe('SessionLost');
      const next = await leaderAmong(rest);
      expect(rest.filter((p) => p.isLeader)).toEqual([next]);
      expect((await next.participants()).map((x) => x.id)[0]).toBe(next.id);
      expect(timeline.maxLeaders).toBe(1);
      expect(timeline.entries.filter((e) => e.endsWith(' leader'))).toHaveLength(2);
    });

    it('gives up leadership when cut off, and one new leader is elected after the session expires', async () => {
      const dir = `${await ctx.prepareBase()}/election`;
      const { proxy, client } = await cutOff(2000);
      const old = new LeaderElection(client, dir, { id: 'old' });
      await old.start();
      expect(old.isLeader).toBe(true);
      const rest = await Promise.all([0, 1, 2].map(async (i) => new LeaderElection(await ctx.connect(), dir, { id: `p${i}` })));
      const timeline = new Timeline();
      timeline.follow('old', old);
      rest.forEach((p, i) => timeline.follow(`p${i}`, p));
      await Promise.all(rest.map((p) => p.start()));
      expect(rest.some((p) => p.isLeader)).toBe(false);
      const lost = nextEvent<[RecipeError]>(old, 'lost');
      const closed = nextEvent<[RecipeError | null]>(old, 'closed');
      proxy.blackhole();
      expect((await lost)[0].code).toBe('Suspended');
      const next = await leaderAmong(rest);
      expect(rest.filter((p) => p.isLeader)).toEqual([next]);
      expect(timeline.entries[0]).toBe('old lost Suspended');
      expect(timeline.maxLeaders).toBe(1);
      proxy.cut();
      proxy.restore();
      expect((await closed)[0]?.code).toBe('SessionLost');
      expect(old.isLeader).toBe(false);
      expect((await next.participants()).map((x) => x.id)).not.toContain('old');
    }, 30_000);

    it('takes leadership back after a short disconnection of the same session', async () => {
      const dir = `${await ctx.prepareBase()}/election`;
      const client = await ctx.connect();
      const e = new LeaderElection(client, dir);
      await e.start();
      const lost = nextEvent<[RecipeError]>(e, 'lost');
      const again = nextEvent(e, 'leader');
      client.dropConnection();
      expect((await lost)[0].code).toBe('Suspended');
      await again;
      expect(e.isLeader).toBe(true);
      await e.close();
    });

    it('resign() hands leadership to the next candidate', async () => {
      const dir = `${await ctx.prepareBase()}/election`;
      const [a, b] = await Promise.all([0, 1].map(async (i) => new LeaderElection(await ctx.connect(), dir, { id: `p${i}` })));
      await a!.start();
      await b!.start();
      expect([a!.isLeader, b!.isLeader]).toEqual([true, false]);
      const bLeads = nextEvent(b!, 'leader');
      const aLost = nextEvent<[RecipeError]>(a!, 'lost');
      await a!.resign();
      await bLeads;
      expect((await aLost)[0].code).toBe('Resigned');
      expect(a!.isLeader).toBe(false);
      expect((await a!.participants()).map((p) => p.id)).toEqual(['p1', 'p0']);
      await b!.close();
      await within('a to lead again', (done) => { if (a!.isLeader) done(true); else a!.once('leader', () => done(true)); });
      await a!.close();
      expect(await a!.participants()).toEqual([]);
    });

    it('rejects start() on an ended session with SessionLost', async () => {
      const client = await ctx.connect();
      await client.close();
      const err = await failure(new LeaderElection(client, `${await ctx.prepareBase()}/e`).start());
      expect((err as RecipeError).code).toBe('SessionLost');
    });
  });

  describe('ActiveStandby', () => {
    function service(name: string, log: string[], active: Set<string>, overlap: { max: number }) {
      return {
        activate: () => { active.add(name); overlap.max = Math.max(overlap.max, active.size); log.push(`${name}+`); },
        deactivate: () => { active.delete(name); log.push(`${name}-`); },
      };
    }

    it('activates the elected one and moves activation on close, never two at once', async () => {
      const dir = `${await ctx.prepareBase()}/as`;
      const log: string[] = [];
      const active = new Set<string>();
      const overlap = { max: 0 };
      const nodes = await Promise.all(['a', 'b', 'c'].map(async (n) => new ActiveStandby(await ctx.connect(), dir, { id: n, ...service(n, log, active, overlap) })));
      const a = nodes[0]!;
      const activeA = nextEvent(a, 'active');
      await a.start();
      await activeA;
      // In turn, so that the queue order is a, b, c.
      for (const n of nodes.slice(1)) await n.start();
      expect(nodes.map((n) => n.isActive)).toEqual([true, false, false]);
      const activeB = nextEvent(nodes[1]!, 'active');
      await a.close();
      await activeB;
      expect(log).toEqual(['a+', 'a-', 'b+']);
      expect(overlap.max).toBe(1);
      await Promise.all(nodes.map((n) => n.close()));
      expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-'].slice(0, log.length));
      expect(active.size).toBe(0);
    });

    it("moves activation when the active one's session ends", async () => {
      const dir = `${await ctx.prepareBase()}/as`;
      const log: string[] = [];
      const active = new Set<string>();
      const overlap = { max: 0 };
      const { proxy, client } = await cutOff(2000);
      const a = new ActiveStandby(client, dir, { id: 'a', ...service('a', log, active, overlap) });
      const activeA = nextEvent(a, 'active');
      await a.start();
      await activeA;
      const b = new ActiveStandby(await ctx.connect(), dir, { id: 'b', ...service('b', log, active, overlap) });
      await b.start();
      const standbyA = nextEvent(a, 'standby');
      const closedA = nextEvent<[RecipeError | null]>(a, 'closed');
      const activeB = nextEvent(b, 'active');
      proxy.blackhole();
      await standbyA;
      await activeB;
      expect(log).toEqual(['a+', 'a-', 'b+']);
      expect(overlap.max).toBe(1);
      proxy.cut();
      proxy.restore();
      expect((await closedA)[0]?.code).toBe('SessionLost');
      await b.close();
      await stateReached(client, 'expired');
    }, 30_000);

    it('resigns after a failed activation so another participant takes over', async () => {
      const dir = `${await ctx.prepareBase()}/as`;
      const failing = new ActiveStandby(await ctx.connect(), dir, {
        id: 'bad', activate: () => { throw new Error('cannot start'); }, deactivate: () => undefined,
      });
      const failed = nextEvent<['activate' | 'deactivate', unknown]>(failing, 'failed');
      await failing.start();
      const good = new ActiveStandby(await ctx.connect(), dir, { id: 'good', activate: () => undefined, deactivate: () => undefined });
      const goodActive = nextEvent(good, 'active');
      await good.start();
      expect((await failed)[0]).toBe('activate');
      await goodActive;
      expect(failing.isActive).toBe(false);
      await failing.close();
      await good.close();
    });
  });
}
