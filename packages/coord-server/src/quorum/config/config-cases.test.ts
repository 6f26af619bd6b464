import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { optionsFromZooCfg } from '../../config/from-zoo-cfg.js';
import { loadZooCfg } from '../../config/zoo-cfg.js';
import { CASES } from './testing/config-cases.js';
import { writeCase } from './testing/load-case.js';

describe('zoo.cfg ensembles: every server.N form and every bad line', () => {
  const root = mkdtempSync(join(tmpdir(), 'paddock-quorum-cfg-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    const path = writeCase(join(root, String(i)), c);
    const read = () => optionsFromZooCfg(loadZooCfg(path)).options;
    if (c.ours === 'standalone') {
      expect(read().quorum).toBeUndefined();
    } else if ('text' in c.ours) {
      expect(read().quorum?.verifier.text).toBe(c.ours.text);
    } else {
      expect(read).toThrow(c.ours.error);
    }
  });
});
