import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JuteWriter } from '@paddock/coord-protocol';
import { createLogger } from '../base/logger.js';
import { applyTxn } from '../txn/apply.js';
import type { Txn, TxnBody } from '../txn/txn.js';
import { createBody as create, dump, emptyTarget, history, recoverFrom, writeLog } from './testing/txn-history.js';
import { LOG_PREFIX, listZxidFiles } from './files.js';
import { Persistence } from './persistence.js';
import { loadSnapshot, writeSnapshot } from './snapshot.js';
import { decodeTxnRecord, encodeTxnRecord } from './txn-codec.js';

const logger = createLogger('silent');
const ACL = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'paddock-persist-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const target = emptyTarget;

describe('txn records', () => {
  it('round-trip every kind and detect every torn or flipped byte', () => {
    const w = new JuteWriter();
    for (const txn of history()) encodeTxnRecord(w, txn);
    const buf = w.take();
    let off = 0;
    for (const txn of history()) {
      const rec = decodeTxnRecord(buf, off);
      expect('txn' in rec && rec.txn).toEqual(txn);
      off = (rec as { next: number }).next;
    }
    expect(decodeTxnRecord(buf, off)).toEqual({ torn: 'truncated header' });
    const first = (decodeTxnRecord(buf, 0) as { next: number }).next;
    for (let cut = 1; cut < first; cut++) expect('torn' in decodeTxnRecord(buf.subarray(0, cut), 0)).toBe(true);
    for (let i = 8; i < first; i++) {
      const bad = Buffer.from(buf.subarray(0, first));
      bad[i] ^= 0x40;
      expect(decodeTxnRecord(bad, 0)).toEqual({ torn: 'checksum mismatch' });
    }
  });
});

describe('log, snapshot and recovery', () => {
  it('replays the log into the same tree the live server had', async () => {
    const dir = tmp();
    await writeLog(dir, history());
    const live = target();
    for (const txn of history()) applyTxn(live, txn);
    const got = recoverFrom(dir);
    expect(got).toMatchObject({ lastZxid: 7, replayed: 7, truncated: null });
    expect(dump(got.tree)).toBe(dump(live.tree));
    expect(got.sessions.get(0x1_0000_0000_0001n)?.timeout).toBe(4000);
    expect(got.tree.ephemeralsOf(0x1_0000_0000_0001n)).toEqual(['/a/e']);
  });

  it('cuts a torn tail and never applies half a record', async () => {
    const dir = tmp();
    await writeLog(dir, history());
    const file = join(dir, listZxidFiles(dir, LOG_PREFIX)[0]!.name);
    const size = statSync(file).size;
    truncateSync(file, size - 3);
    const got = recoverFrom(dir);
    expect(got.lastZxid).toBe(6);
    expect(got.truncated).toMatch(/runs past the file/);
    expect(got.tree.getNode('/b')).toBeDefined();
    // The cut is permanent: appending after recovery starts from a clean record boundary.
    appendFileSync(file, Buffer.alloc(0));
    expect(recoverFrom(dir)).toMatchObject({ lastZxid: 6, truncated: null });
  });

  it('refuses to skip over corruption in the middle of history', async () => {
    const dir = tmp();
    await writeLog(dir, history().slice(0, 3));
    writeFileSync(join(dir, `${LOG_PREFIX}4`), Buffer.alloc(0));
    const first = join(dir, `${LOG_PREFIX}1`);
    const bytes = readFileSync(first);
    bytes[bytes.length - 2] ^= 0xff;
    writeFileSync(first, bytes);
    expect(() => recoverFrom(dir)).toThrow(/log\.1 is damaged at byte \d+ \(checksum mismatch in a complete record.*1 later log file\(s\) hold the history after it\. Nothing was changed; to go on, restore the data directory from a backup\./);
  });

  it('starts from a fuzzy snapshot and replays txns it already partly holds', async () => {
    const dir = tmp();
    const txns = history();
    await writeLog(dir, txns);
    const live = target();
    for (const txn of txns.slice(0, 3)) applyTxn(live, txn);
    const snapZxid = live.tree.lastProcessedZxid;
    // Fuzzy: the tree moved on (zxids 4..7) before the snapshot was written.
    for (const txn of txns.slice(3)) applyTxn(live, txn);
    await writeSnapshot(dir, snapZxid, live.tree, live.sessions);
    const got = recoverFrom(dir);
    expect(got).toMatchObject({ snapshotZxid: 3, lastZxid: 7, replayed: 4 });
    expect(dump(got.tree)).toBe(dump(live.tree));
  });

  it('falls back to an older snapshot when the newest fails its checksum', async () => {
    const dir = tmp();
    await writeLog(dir, history());
    const live = target();
    for (const txn of history().slice(0, 2)) applyTxn(live, txn);
    await writeSnapshot(dir, 2, live.tree, live.sessions);
    for (const txn of history().slice(2, 5)) applyTxn(live, txn);
    const newest = await writeSnapshot(dir, 5, live.tree, live.sessions);
    const bytes = readFileSync(newest.file);
    bytes[40] ^= 1;
    writeFileSync(newest.file, bytes);
    const got = recoverFrom(dir);
    expect(got).toMatchObject({ snapshotZxid: 2, lastZxid: 7 });
  });
});

describe('snapshots against a live tree', () => {
  /** A tree of `n` small nodes under /big, built directly. */
  function bigTree(n: number) {
    const t = target();
    t.tree.createNode('/big', null, ACL, 0n, 1, 1, 1);
    for (let i = 0; i < n; i++) t.tree.createNode(`/big/n${i}`, Buffer.from(`value ${i}`), ACL, 0n, i + 1, i + 2, i + 2);
    t.tree.lastProcessedZxid = n + 1;
    return t;
  }

  it('is written over many event-loop turns, so requests go on meanwhile', async () => {
    const dir = tmp();
    const live = bigTree(100_000);
    let turns = 0;
    let ticking = true;
    const tick = (): void => { turns++; if (ticking) setImmediate(tick); };
    setImmediate(tick);
    const info = await writeSnapshot(dir, live.tree.lastProcessedZxid, live.tree, live.sessions);
    ticking = false;
    const chunks = Math.floor(info.bytes / (1024 * 1024));
    expect(chunks).toBeGreaterThanOrEqual(3);
    // The event loop got control back between chunks: at least once per chunk written.
    expect(turns).toBeGreaterThanOrEqual(chunks);
    const back = target();
    expect(loadSnapshot(info.file, back.tree, back.sessions).nodes).toBe(live.tree.size);
  });

  it('is published only once the log holds every txn it may contain', async () => {
    const dir = tmp();
    const live = bigTree(30_000);
    const started = live.tree.lastProcessedZxid;
    let asked = -1;
    let release!: () => void;
    const durable = new Promise<void>((r) => { release = r; });
    const writing = writeSnapshot(dir, started, live.tree, live.sessions, (z) => { asked = z; return durable; });
    // While it is written, a multi lands: the file may hold part of it.
    await new Promise((r) => setImmediate(r));
    applyTxn(live, { zxid: started + 1, time: 5, sessionId: 0n, body: { kind: 'multi', txns: [create('/m1', 2), create('/big/zz', 30_001)] } });
    while (asked < 0) await new Promise((r) => setImmediate(r));
    expect(asked).toBe(started + 1);
    expect(readdirSync(dir)).toEqual([`snapshot.${started.toString(16)}.tmp`]);
    release();
    const info = await writing;
    expect(readdirSync(dir)).toEqual([`snapshot.${started.toString(16)}`]);
    expect(info.zxid).toBe(started);
  });

  it('is thrown away when the log can no longer make it durable', async () => {
    const dir = tmp();
    const live = bigTree(10);
    await expect(writeSnapshot(dir, 11, live.tree, live.sessions, () => Promise.reject(new Error('disk gone')))).rejects.toThrow('disk gone');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('Persistence: snapshots wait for the group commit, and half-written ones from a crash are removed', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'snapshot.5.tmp'), 'left by a crash');
    const live = target();
    const p = new Persistence({
      snapDir: dir, logDir: dir, forceSync: true, snapCount: 1_000_000, snapRetainCount: 3, logger, random: () => 0,
      onFatal: (e) => { throw e; },
    }, 0);
    expect(existsSync(join(dir, 'snapshot.5.tmp'))).toBe(false);
    p.attach(live.tree, live.sessions);
    for (const txn of history()) { p.append(txn); applyTxn(live, txn); }
    // Nothing is durable yet (the batch goes out on the next turn); the snapshot waits for it.
    expect(p.durableZxid).toBe(0);
    await p.snapshotNow();
    expect(p.durableZxid).toBe(7);
    expect(listZxidFiles(dir, 'snapshot.').map((f) => f.zxid)).toEqual([7]);
    await p.close();
    expect(dump(recoverFrom(dir).tree)).toBe(dump(live.tree));
  });
});

describe('replay of deletes a fuzzy snapshot already lacks', () => {
  it('still advances the parent pzxid, for delete and for closeSession', async () => {
    const dir = tmp();
    const sid = 0x1_0000_0000_0009n;
    const t = (zxid: number, body: TxnBody): Txn => ({ zxid, time: 1000 + zxid, sessionId: sid, body });
    const txns = [
      t(1, { kind: 'createSession', timeout: 4000, passwd: Buffer.alloc(16, 2) }),
      t(2, create('/p', 1)),
      t(3, create('/p/c', 1)),
      t(4, create('/p/e', 2, sid)),
      t(5, { kind: 'delete', path: '/p/c' }),
      t(6, { kind: 'closeSession', paths: ['/p/e'] }),
    ];
    await writeLog(dir, txns);
    const live = target();
    for (const txn of txns) applyTxn(live, txn);
    // Fuzzy: /p was serialized as of zxid 4, but the deleted children were gone by the time
    // the writer reached them (removed here without touching /p, as the writer would see it).
    const fuzzy = target();
    for (const txn of txns.slice(0, 4)) applyTxn(fuzzy, txn);
    fuzzy.tree.deleteNode('/p/c', 0);
    fuzzy.tree.deleteNode('/p/e', 0);
    expect(fuzzy.tree.getNode('/p')!.pzxid).toBe(4);
    await writeSnapshot(dir, 4, fuzzy.tree, fuzzy.sessions);
    const got = recoverFrom(dir);
    expect(got.tree.getNode('/p')!.pzxid).toBe(6);
    expect(dump(got.tree)).toBe(dump(live.tree));
  });
});
