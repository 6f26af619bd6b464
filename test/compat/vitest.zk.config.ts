import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.js';

/**
 * Runs the ZooKeeper-only checks of the compat suite (transcripts printed, determinism):
 * `npx vitest run --config test/compat/vitest.zk.config.ts`. Not part of `npm test`.
 */
const config = mergeConfig(base, defineConfig({ test: { testTimeout: 600_000 } }));
// Set, not merged: mergeConfig would append these to the base globs and run every test.
config.test!.include = ['test/compat/**/*.zk-check.ts', 'test/compat/**/*.probe.ts'];
export default config;
