import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { startPaddock } from '../support/paddock.js';

describe('dataLogDir apart from dataDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'paddock-dirs-'));
  const dataDir = join(root, 'data');
  const dataLogDir = join(root, 'log');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes logs to dataLogDir and snapshots to dataDir, and recovers from both', async () => {
    const first = await startPaddock({ dataDir, dataLogDir, snapCount: 20 });
    const zk = await CoordClient.connect(first.connectString, { sessionTimeout: 4000 });
    for (let i = 0; i < 60; i++) await zk.create(`/n${i}`, Buffer.from(String(i)));
    await zk.close();
    await first.server.persistence.snapshotNow();
    await first.stop();
    const logs = readdirSync(join(dataLogDir, 'paddock-v1'));
    const snaps = readdirSync(join(dataDir, 'paddock-v1'));
    expect(logs.every((f) => f.startsWith('log.'))).toBe(true);
    expect(snaps.filter((f) => f.startsWith('snapshot.')).length).toBeGreaterThan(0);
    expect(snaps.some((f) => f.startsWith('log.'))).toBe(false);

    const second = await startPaddock({ dataDir, dataLogDir });
    const again = await CoordClient.connect(second.connectString, { sessionTimeout: 4000 });
    try {
      expect((await again.getChildren('/')).filter((c) => c.startsWith('n'))).toHaveLength(60);
      expect(String((await again.getData('/n59')).data)).toBe('59');
    } finally {
      await again.close();
      await second.stop();
    }
  });

  it('refuses a bad snapCount naming it', async () => {
    await expect(startPaddock({ dataDir, snapCount: 1 })).rejects.toThrow(/snapCount must be an integer in 2\.\.\d+, got 1/);
  });
});
