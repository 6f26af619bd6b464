import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.js';

/**
 * Runs the ZooKeeper-only checks of the compat suite (transcripts printed, determinism):
 * `npx vitest run --config test/compat/vitest.zk.config.ts`. Not part of `npm test`.
 */
export default mergeConfig(base, defineConfig({
  test: {
    include: ['test/compat/**/*.zk-check.ts', 'test/compat/**/*.probe.ts'],
    testTimeout: 600_000,
  },
}));
