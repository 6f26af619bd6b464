import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { freePort } from '../support/ports.js';
import { ServerProcess } from './server-process.js';

/**
 * A crash in the middle of a log write leaves a torn last record; a bad sector, a flipped
 * one. Either way the server must start, drop exactly that record (never apply part of it),
 * keep everything before it, and go on logging where the good part ends.
 */

/** Byte ranges of the records of a txn log file: int32 length | uint32 crc32 | payload. */
function records(buf: Buffer): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let off = 0;
  while (off + 8 <= buf.length) {
    const len = buf.readInt32BE(off);
    if (len <= 0 || off + 8 + len > buf.length) break;
    out.push({ start: off, end: off + 8 + len });
    off += 8 + len;
  }
  return out;
}

const DAMAGE: Record<string, (file: string, last: { start: number; end: number }) => void> = {
  'cut mid-record': (file, last) => truncateSync(file, last.start + Math.floor((last.end - last.start) / 2)),
  'one byte flipped': (file, last) => {
    const bytes = readFileSync(file);
    bytes[last.start + 8 + Math.floor((last.end - last.start - 8) / 2)]! ^= 0x20;
    writeFileSync(file, bytes);
  },
};

const NODES = 20;

describe('a damaged last log record', () => {
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  const clients: CoordClient[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close().catch(() => undefined);
    for (const s of servers.splice(0)) await s.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const connect = async (server: ServerProcess): Promise<CoordClient> => {
    const c = await CoordClient.connect(server.connectString, { sessionTimeout: 10_000 });
    clients.push(c);
    return c;
  };

  async function expectHistory(c: CoordClient, last: string): Promise<void> {
    for (let i = 0; i < NODES; i++) expect((await c.getData(`/t/n${i}`)).data.toString()).toBe(`node ${i}`);
    expect((await c.getData('/t/last')).data.toString()).toBe(last);
  }

  for (const [name, damage] of Object.entries(DAMAGE)) {
    it(`${name}: the server starts without that record, keeps all before it, and logs on`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'paddock-torn-'));
      dirs.push(dataDir);
      const server = new ServerProcess({ port: await freePort(), dataDir });
      servers.push(server);
      await server.start();
      const c = await connect(server);
      await c.create('/t', null);
      for (let i = 0; i < NODES; i++) await c.create(`/t/n${i}`, `node ${i}`);
      await c.create('/t/last', 'before');
      // The last record of the log: acknowledged, then damaged on disk after the crash.
      await c.setData('/t/last', `after ${'z'.repeat(500)}`);
      await server.kill();
      // It saw the zxid about to be cut: the restarted server would rightly refuse it.
      await c.close();

      const logs = server.logFiles();
      const file = logs[logs.length - 1]!;
      const recs = records(readFileSync(file));
      const size = statSync(file).size;
      expect(recs.at(-1)!.end, 'the log ends with a whole record').toBe(size);
      damage(file, recs.at(-1)!);

      await server.start();
      expect(server.output()).toContain('cutting torn tail off the txn log');
      const after = await connect(server);
      await expectHistory(after, 'before');
      expect((await after.exists('/t/last'))!.version, 'the cut setData left no trace').toBe(0);
      expect(statSync(file).size, 'the bad record is cut off the file').toBe(recs.at(-1)!.start);

      await after.setData('/t/last', 'again');
      await after.create('/t/new', 'written after recovery');
      await server.kill();
      await server.start();
      const third = await connect(server);
      await expectHistory(third, 'again');
      expect((await third.getData('/t/new')).data.toString()).toBe('written after recovery');
      expect((await third.exists('/t/last'))!.version).toBe(1);
    });
  }
});
