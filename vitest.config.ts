import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (name: string): string => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@paddock/edges': pkg('edges'),
      '@paddock/coord-protocol': pkg('coord-protocol'),
      '@paddock/coord-server': pkg('coord-server'),
      '@paddock/coord-client/recipes': fileURLToPath(new URL('./packages/coord-client/src/recipes/index.ts', import.meta.url)),
      '@paddock/coord-client': pkg('coord-client'),
      '@paddock/registry': pkg('registry'),
      '@paddock/rpc': pkg('rpc'),
      '@paddock/console': pkg('console'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { PADDOCK_LOG_LEVEL: process.env.PADDOCK_LOG_LEVEL ?? 'silent' },
  },
});
