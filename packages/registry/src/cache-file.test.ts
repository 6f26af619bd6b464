import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@paddock/edges';
import { CacheFile } from './cache-file.js';

const dir = mkdtempSync(join(tmpdir(), 'paddock-cache-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (): string => join(dir, `sub${++n}`, 'cache.json');

function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { ...silentLogger, warn: (_f: Record<string, unknown>, msg?: string) => { warnings.push(msg ?? ''); } } };
}

describe('CacheFile', () => {
  it('writes what it is told and reads it back in a new process (a new instance)', async () => {
    const path = file();
    const a = new CacheFile(path, silentLogger);
    await a.load();
    expect(a.get('Greeter')).toBeUndefined();
    a.set('Greeter', { providers: ['tcp://h:1/Greeter?version=1.0.0'], configurators: [], savedAt: 5 });
    await a.flush();
    const b = new CacheFile(path, silentLogger);
    await b.load();
    expect(b.get('Greeter')).toEqual({ providers: ['tcp://h:1/Greeter?version=1.0.0'], configurators: [], savedAt: 5 });
    // Written by rename: no temp file left behind.
    expect(readdirSync(join(path, '..'))).toEqual(['cache.json']);
  });

  it('coalesces writes: many updates, the last one is what is on disk', async () => {
    const path = file();
    const c = new CacheFile(path, silentLogger);
    for (let i = 0; i < 100; i++) c.set('S', { providers: [`u${i}`], configurators: [], savedAt: i });
    await c.flush();
    const onDisk = JSON.parse(readFileSync(path, 'utf8')) as { services: Record<string, { savedAt: number }> };
    expect(onDisk.services.S!.savedAt).toBe(99);
  });

  it('ignores a corrupt file, an unknown format and malformed entries, with a warning each', async () => {
    const path = file();
    const { warnings, logger } = recordingLogger();
    await new CacheFile(path, logger).load();
    expect(warnings).toEqual([]);
    writeFileSync(join(dir, 'bad.json'), '{not json');
    await new CacheFile(join(dir, 'bad.json'), logger).load();
    writeFileSync(join(dir, 'other.json'), '{"format":"something/2","services":{}}');
    await new CacheFile(join(dir, 'other.json'), logger).load();
    writeFileSync(join(dir, 'mixed.json'), JSON.stringify({
      format: 'paddock-registry-cache/1',
      services: { Good: { providers: [], configurators: [], savedAt: 1 }, Bad: { providers: 'x' } },
    }));
    const mixed = new CacheFile(join(dir, 'mixed.json'), logger);
    await mixed.load();
    expect(mixed.get('Good')).toBeDefined();
    expect(mixed.get('Bad')).toBeUndefined();
    expect(warnings).toEqual([
      'registry: cannot read cache file; ignored',
      'registry: cache file of an unknown format; ignored',
      'registry: malformed cache entry; ignored',
    ]);
  });

  it('logs a failed write and keeps going', async () => {
    const { warnings, logger } = recordingLogger();
    writeFileSync(join(dir, 'a-file'), 'x');
    const c = new CacheFile(join(dir, 'a-file', 'cache.json'), logger);
    c.set('S', { providers: [], configurators: [], savedAt: 1 });
    await c.flush();
    expect(warnings).toEqual(['registry: cannot write cache file']);
  });
});
