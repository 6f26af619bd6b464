import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { JuteWriter, type JuteReader } from '@paddock/coord-protocol';
import { ChunkedReader } from './chunked-reader.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** As a snapshot lays out nodes: `int 1 | string` per item, `int 0`, then the body's crc32. */
function file(items: string[], damage?: (b: Buffer) => void): string {
  const w = new JuteWriter();
  for (const s of items) { w.int(1); w.ustring(s); }
  w.int(0);
  const body = w.take();
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(body) >>> 0, 0);
  const bytes = Buffer.concat([body, sum]);
  damage?.(bytes);
  const dir = mkdtempSync(join(tmpdir(), 'paddock-chunked-'));
  dirs.push(dir);
  const path = join(dir, 'f');
  writeFileSync(path, bytes);
  return path;
}

function readAll(path: string, window: number): string[] {
  const input = new ChunkedReader(path, 4, window);
  try {
    const out: string[] = [];
    const item = (r: JuteReader): string | null => (r.int() === 1 ? r.ustring() : null);
    for (let s = input.next(item); s !== null; s = input.next(item)) out.push(s);
    input.finish();
    return out;
  } finally {
    input.close();
  }
}

describe('ChunkedReader', () => {
  const items = Array.from({ length: 50 }, (_, i) => `item ${i} ${'x'.repeat((i * 37) % 300)}`);

  it('reads items across window boundaries and items bigger than the window', () => {
    for (const window of [8, 16, 100, 1 << 20]) expect(readAll(file(items), window)).toEqual(items);
  });

  it('refuses a truncated file, a flipped byte and trailing bytes', () => {
    expect(() => readAll(file(items, (b) => { b[100] ^= 1; }), 64)).toThrow(/fails its checksum/);
    const path = file(items);
    writeFileSync(path, Buffer.from('zz'), { flag: 'a' });
    expect(() => readAll(path, 64)).toThrow();
    expect(() => new ChunkedReader(file([]), 100)).toThrow(/truncated/);
  });
});
