import { defineConfig } from 'vitest/config';
import { workspaceAlias, workspacePlugins } from '../../vitest.shared';

export default defineConfig({
  resolve: { alias: workspaceAlias },
  plugins: workspacePlugins,
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/postgres-server.global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
