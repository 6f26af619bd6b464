import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../base/logger.js';
import { Persistence } from '../../persistence/persistence.js';
import { RecentTxns } from '../../persistence/recent-txns.js';
import { recover } from '../../persistence/recovery.js';
import { createsAt, dump, emptyTarget, stateAfter, zx } from '../../persistence/testing/txn-history.js';
import { applyTxn } from '../../txn/apply.js';
import { ManualClock } from '@paddock/edges';
import { TreeDigest, treeDigest } from '../sync/digest.js';
import { nextTermState } from './next-term.js';
import type { LocalState } from './peer-host.js';

const logger = createLogger('silent');
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const HISTORY = createsAt([1, 2, 3, 4, 5, 6].map((c) => zx(1, c)));

/** A member's state over a fresh data dir: an empty tree attached to a durable log with a window of `window` txns. */
function member(window = 500) {
  const dir = mkdtempSync(join(tmpdir(), 'paddock-next-term-'));
  dirs.push(dir);
  const live = emptyTarget();
  const persistence = new Persistence({
    snapDir: dir, logDir: dir, forceSync: false, snapCount: 1_000_000, snapRetainCount: 3, logger, random: () => 0,
    onFatal: () => {}, recent: new RecentTxns(window),
  }, 0);
  persistence.attach(live.tree, live.sessions);
  const state: LocalState = {
    recovered: { tree: live.tree, sessions: live.sessions, lastZxid: 0, snapshotZxid: 0, replayed: 0, truncated: null, recent: new RecentTxns(0) },
    persistence,
  };
  return { dir, live, persistence, state };
}

describe('nextTermState: the next term goes on from the tree the last one left', () => {
  it('keeps a leader\'s tree, which holds every txn it logged', async () => {
    const m = member();
    for (const t of HISTORY) { m.persistence.append(t); applyTxn(m.live, t); }
    const next = await nextTermState(m.state, m.live);
    expect(next?.recovered.tree).toBe(m.live.tree);
    expect(next?.recovered.lastZxid).toBe(zx(1, 6));
    await m.persistence.close();
  });

  it('applies what a learner logged but never saw committed, ending where the log (and a reload) does', async () => {
    const m = member();
    for (const t of HISTORY) m.persistence.append(t);
    for (const t of HISTORY.slice(0, 3)) applyTxn(m.live, t);
    const next = await nextTermState(m.state, m.live);
    expect(next?.recovered.lastZxid).toBe(zx(1, 6));
    expect(dump(m.live.tree)).toBe(dump(stateAfter(HISTORY).tree));
    await m.persistence.close();
    const reloaded = recover({ snapDir: m.dir, logDir: m.dir, tickTime: 100, serverId: 1, clock: new ManualClock(), logger });
    expect(dump(reloaded.tree)).toBe(dump(m.live.tree));
  });

  it('keeps the digest a term maintained, moved by the txns it applies on the way', async () => {
    const m = member();
    for (const t of HISTORY) m.persistence.append(t);
    for (const t of HISTORY.slice(0, 2)) applyTxn(m.live, t);
    const digest = TreeDigest.of(m.live.tree);
    const next = await nextTermState(m.state, { ...m.live, digest });
    expect(next?.digest).toBe(digest);
    expect(digest.value).toBe(treeDigest(m.live.tree));
    await m.persistence.close();
  });

  it('gives every session its whole timeout again, none closing and none owned', async () => {
    const m = member();
    const s = m.live.sessions.add(7n, 4000, Buffer.alloc(16));
    s.closing = true;
    s.owner = { close: () => {} };
    await nextTermState(m.state, m.live);
    expect(s.closing).toBe(false);
    expect(s.owner).toBeNull();
    await m.persistence.close();
  });

  it('reloads instead when the tree is not the one the log describes (a SNAP not yet written)', async () => {
    const m = member();
    for (const t of HISTORY) m.persistence.append(t);
    const fromLeader = stateAfter(HISTORY);
    expect(await nextTermState(m.state, fromLeader)).toBeNull();
    await m.persistence.close();
  });

  it('reloads instead when the tree is ahead of the log (DIFF txns applied before NEWLEADER let them be logged)', async () => {
    const m = member();
    for (const t of HISTORY.slice(0, 3)) m.persistence.append(t);
    for (const t of HISTORY) applyTxn(m.live, t);
    expect(await nextTermState(m.state, m.live)).toBeNull();
    await m.persistence.close();
  });

  it('reloads instead when the window no longer reaches back to the tree', async () => {
    const m = member(2);
    for (const t of HISTORY) m.persistence.append(t);
    applyTxn(m.live, HISTORY[0]!);
    expect(await nextTermState(m.state, m.live)).toBeNull();
    await m.persistence.close();
  });

  it('keeps the window contiguous through a truncation and empties it at a replacement', async () => {
    const m = member();
    for (const t of HISTORY) { m.persistence.append(t); applyTxn(m.live, t); }
    await m.persistence.truncateAfter(zx(1, 4));
    expect(m.persistence.recent.list().map((t) => t.zxid)).toEqual([1, 2, 3, 4].map((c) => zx(1, c)));
    const snap = stateAfter(HISTORY);
    await m.persistence.replaceAll(snap.tree, snap.sessions, zx(1, 6));
    expect(m.persistence.recent.list()).toEqual([]);
    expect(m.persistence.holds(snap.tree)).toBe(true);
    await m.persistence.close();
  });
});
