import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { freePort } from '../support/ports.js';
import { ServerProcess } from './server-process.js';

/**
 * A crash in the middle of a log write leaves the file ending inside its last record: the
 * server starts, drops exactly that record (never applies part of it), keeps everything before
 * it and goes on logging where the good part ends. A flipped bit is not a torn write: the
 * record was written whole and acknowledged, so the server refuses to start, names the file and
 * the byte, and leaves every file as it found it.
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

function flipBit(file: string, byte: number, bit: number): Buffer {
  const bytes = readFileSync(file);
  bytes[byte]! ^= 1 << bit;
  writeFileSync(file, bytes);
  return bytes;
}

const NODES = 20;

describe('a damaged newest txn log', () => {
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

  async function serverWithHistory(): Promise<ServerProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'paddock-torn-'));
    dirs.push(dataDir);
    const server = new ServerProcess({ port: await freePort(), dataDir });
    servers.push(server);
    await server.start();
    return server;
  }

  async function expectHistory(c: CoordClient, last: string): Promise<void> {
    for (let i = 0; i < NODES; i++) expect((await c.getData(`/t/n${i}`)).data.toString()).toBe(`node ${i}`);
    expect((await c.getData('/t/last')).data.toString()).toBe(last);
  }

  /** Writes the history, the last record being an acknowledged setData; crashes; returns the log. */
  async function crashAfterHistory(server: ServerProcess): Promise<{ file: string; last: { start: number; end: number } }> {
    const c = await connect(server);
    await c.create('/t', null);
    for (let i = 0; i < NODES; i++) await c.create(`/t/n${i}`, `node ${i}`);
    await c.create('/t/last', 'before');
    await c.setData('/t/last', `after ${'z'.repeat(500)}`);
    await server.kill();
    // It saw the zxid about to be cut: the restarted server would rightly refuse it.
    await c.close();
    const file = server.logFiles().at(-1)!;
    const recs = records(readFileSync(file));
    const bytes = readFileSync(file);
    // The log ends with a whole record, then only the zeros it fills ahead (see FileTxnLog).
    expect(bytes.subarray(recs.at(-1)!.end).every((b) => b === 0), 'the log ends with a whole record, then zeros').toBe(true);
    return { file, last: recs.at(-1)! };
  }

  async function expectLogsOn(server: ServerProcess, last: string, version: number): Promise<void> {
    const after = await connect(server);
    await expectHistory(after, last);
    expect((await after.exists('/t/last'))!.version).toBe(version);
    await after.setData('/t/last', 'again');
    await after.create('/t/new', 'written after recovery');
    await server.kill();
    await server.start();
    const third = await connect(server);
    await expectHistory(third, 'again');
    expect((await third.getData('/t/new')).data.toString()).toBe('written after recovery');
    expect((await third.exists('/t/last'))!.version).toBe(version + 1);
  }

  it('cut mid-record by a crash: the server starts without that record, keeps all before it, and logs on', async () => {
    const server = await serverWithHistory();
    const { file, last } = await crashAfterHistory(server);
    truncateSync(file, last.start + Math.floor((last.end - last.start) / 2));
    await server.start();
    expect(server.output()).toContain('cutting torn tail off the txn log');
    expect(statSync(file).size, 'the torn record is cut off the file').toBe(last.start);
    // The cut setData was never acknowledged (its bytes never all reached the file).
    await expectLogsOn(server, 'before', 0);
  });

  it('one bit flipped in the last, acknowledged record: refuses to start, changes nothing, says how to go on', async () => {
    const server = await serverWithHistory();
    const { file, last } = await crashAfterHistory(server);
    const damaged = flipBit(file, last.start + 8 + Math.floor((last.end - last.start - 8) / 2), 5);
    const refused = await server.startRefused();
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`txn log ${file} is damaged at byte ${last.start} (checksum mismatch in a complete record`);
    expect(refused.output).toContain(`truncate -s ${last.start} ${file}`);
    expect(readFileSync(file).equals(damaged), 'the log is untouched').toBe(true);
    // The operator accepts losing that write, as the message offers.
    truncateSync(file, last.start);
    await server.start();
    await expectLogsOn(server, 'before', 0);
  });

  /**
   * The sweep: for each of 50 positions spread over the newest log, flip a bit and restart. Each
   * run either starts with every acknowledged write present or refuses to start with the file
   * untouched; never a start with fewer writes.
   */
  it('50 flipped bits over the log: each run has every acknowledged write or refuses, file untouched', async () => {
    const server = await serverWithHistory();
    const c = await connect(server);
    await c.create('/s', null);
    const WRITES = 400;
    await Promise.all(Array.from({ length: WRITES }, (_, i) => c.create(`/s/w${i}`, `write ${i}`)));
    await server.kill();
    await c.close();
    const file = server.logFiles().at(-1)!;
    const pristine = `${file}.pristine`;
    copyFileSync(file, pristine);
    const size = statSync(file).size;
    const outcomes = { started: 0, refused: 0 };
    for (let k = 0; k < 50; k++) {
      copyFileSync(pristine, file);
      const byte = Math.floor(((k + 0.5) * size) / 50);
      const damaged = flipBit(file, byte, k % 8);
      const refused = await server.startRefusedOrServing();
      if (refused) {
        expect(refused.code, `byte ${byte}`).toBe(1);
        expect(refused.output, `byte ${byte}`).toMatch(/txn log .* is damaged at byte \d+/);
        expect(readFileSync(file).equals(damaged), `byte ${byte}: the log is untouched`).toBe(true);
        outcomes.refused++;
        continue;
      }
      const r = await connect(server);
      expect((await r.getChildren('/s')).length, `byte ${byte}: every acknowledged write`).toBe(WRITES);
      await r.close();
      await server.kill();
      outcomes.started++;
    }
    expect(outcomes.started + outcomes.refused).toBe(50);
    copyFileSync(pristine, file);
    rmSync(pristine);
    await server.start();
    const again = await connect(server);
    expect((await again.getChildren('/s')).length).toBe(WRITES);
    // 50 server starts: about 20 s on an idle 2-core machine, more under load.
  }, 180_000);
});
