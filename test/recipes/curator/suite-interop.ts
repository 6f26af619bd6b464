import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordClient } from '@paddock/coord-client';
import { LeaderElection, Lock, ReadWriteLock } from '@paddock/coord-client/recipes';
import { useSuiteContext, type StartPeer } from '../../client/suite-context.js';
import { WAIT_MS, bounded, childrenNow } from '../support.js';
import { CompiledContender } from './curator-process.js';
import { Marker, type Hold } from './marker.js';

/** Acquisitions per side: 200 in all, handed back and forth between Java and Node. */
const ROUNDS = 100;
const TEST_MS = 90_000;

type Recipe = 'mutex' | 'rw' | 'latch';

/** Our side's rounds, against the same marker protocol as CuratorContender.java. */
const OUR_SIDE: Record<Recipe, (client: CoordClient, marker: Marker) => Promise<void>> = {
  async mutex(client, marker) {
    const lock = new Lock(client, marker.lockPath);
    for (let i = 0; i < ROUNDS; i++) {
      if (!(await lock.acquire({ timeoutMs: WAIT_MS }))) throw new Error(`round ${i}: lock not acquired within ${WAIT_MS} ms`);
      await marker.enterExclusive('mutex');
      await marker.waitForOther();
      await marker.leaveExclusive('mutex');
      await lock.release();
    }
  },
  /** Every other round writes (the Java side writes every third). */
  async rw(client, marker) {
    const rw = new ReadWriteLock(client, marker.lockPath);
    for (let i = 0; i < ROUNDS; i++) {
      const write = i % 2 === 0;
      const half = write ? rw.writeLock : rw.readLock;
      if (!(await half.acquire({ timeoutMs: WAIT_MS }))) throw new Error(`round ${i}: ${write ? 'write' : 'read'} lock not acquired within ${WAIT_MS} ms`);
      if (write) await marker.enterExclusive('write');
      else await marker.enterShared('read');
      await marker.waitForOther();
      if (write) await marker.leaveExclusive('write');
      else await marker.leaveShared('read');
      await half.release();
    }
  },
  /** A new election per round; closing it hands leadership to the other side. */
  async latch(client, marker) {
    for (let i = 0; i < ROUNDS; i++) {
      const election = new LeaderElection(client, marker.lockPath, { id: 'node' });
      const led = new Promise<void>((resolve) => election.once('leader', resolve));
      await election.start();
      await bounded(`leadership in round ${i}`, led);
      await marker.enterExclusive('leader');
      await marker.waitForOther();
      await marker.leaveExclusive('leader');
      await election.close();
    }
  },
};

interface Outcome {
  /** Every hold of both sides, in marker-version order. */
  readonly holds: Hold[];
  readonly violations: string[];
  /** Holds by the same side as the hold before. */
  readonly repeats: number;
}

/**
 * Real Curator 5.4 (InterProcessMutex, InterProcessReadWriteLock, LeaderLatch in a Java
 * process) and our recipes on one path: 200 acquisitions handed back and forth, each checked
 * by a versioned compare-and-set on a marker node that two holders at once would trip.
 */
export function curatorInteropTests(start: StartPeer): void {
  const ctx = useSuiteContext(start);
  let java: CompiledContender | undefined;
  beforeAll(() => { java = CompiledContender.compile(); });
  afterAll(() => java?.dispose());

  async function contend(recipe: Recipe): Promise<Outcome> {
    const base = await ctx.prepareBase();
    const admin = await ctx.connect();
    // Persistent, so that neither side's container parent can be reaped mid-test.
    await admin.create(`${base}/lock`);
    await admin.create(`${base}/marker`, 'free');
    const theirs = await java!.start(ctx.peer.connectString, recipe, base, ROUNDS);
    try {
      // One session for our recipe and the marker, as the Java side has: once the recipe has seen
      // Java's release (a watch on its member), the marker read on the same member sees Java's
      // "free" before it. A second session on a lagging member could read the marker stale.
      const client = await ctx.connect();
      const marker = new Marker(client, base);
      const report = theirs.report();
      theirs.go();
      const ours = OUR_SIDE[recipe](client, marker).then(() => marker.finish());
      // Either side failing ends the test at once.
      const [, reported] = await Promise.all([ours, report]);
      const holds = [...marker.holds, ...reported.holds].sort((a, b) => a.version - b.version);
      const repeats = holds.filter((h, i) => i > 0 && holds[i - 1]!.side === h.side).length;
      if (process.env.RECIPE_STATS) {
        const shared = holds.filter((h) => h.holders > 1).length;
        console.log(`curator ${recipe}: ${holds.length} holds (${marker.holds.length} ours), ${repeats} by the same side twice in a row, ${shared} entered beside another reader`);
      }
      expect(await childrenNow(admin, `${base}/lock`)).toEqual([]);
      return { holds, violations: [...marker.violations, ...reported.violations], repeats };
    } finally {
      theirs.kill();
    }
  }

  const count = (holds: Hold[], side: string, kind: string): number => holds.filter((h) => h.side === side && h.kind === kind).length;

  describe('with Curator 5.4 on the same path', () => {
    it(`Lock and InterProcessMutex take the lock ${2 * ROUNDS} times in turns, never both at once`, async () => {
      const { holds, violations, repeats } = await contend('mutex');
      expect(violations).toEqual([]);
      expect(holds).toHaveLength(2 * ROUNDS);
      expect(repeats).toBe(0);
    }, TEST_MS);

    it(`ReadWriteLock and InterProcessReadWriteLock: ${2 * ROUNDS} holds, writers exclude everyone, readers of both share`, async () => {
      const { holds, violations } = await contend('rw');
      expect(violations).toEqual([]);
      expect(holds).toHaveLength(2 * ROUNDS);
      expect(count(holds, 'node', 'write') + count(holds, 'node', 'read')).toBe(ROUNDS);
      expect(count(holds, 'java', 'write')).toBeGreaterThan(0);
      expect(count(holds, 'java', 'read')).toBeGreaterThan(0);
      // Readers overlap across processes: a reader of one side entered while one of the other held.
      expect(Math.max(...holds.map((h) => h.holders))).toBe(2);
    }, TEST_MS);

    it(`LeaderElection and LeaderLatch: leadership passes back and forth ${2 * ROUNDS} times, never two leaders`, async () => {
      const { holds, violations, repeats } = await contend('latch');
      expect(violations).toEqual([]);
      expect(holds).toHaveLength(2 * ROUNDS);
      expect(repeats).toBe(0);
    }, TEST_MS);
  });
}
