import { defineConfig } from 'vitest/config';
import { workspaceAlias, workspacePlugins } from '../../vitest.shared';

export default defineConfig({
  resolve: { alias: workspaceAlias },
  plugins: workspacePlugins,
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/servers.global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Each file starts its own Redis and proxies: running them one at a time keeps the timings honest on 2 cores.
    fileParallelism: false,
  },
});
