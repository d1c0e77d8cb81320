import { defineConfig } from 'vitest/config';
import { workspaceAlias, workspacePlugins } from './vitest.shared';

/**
 * The tests `pnpm mutate` runs against each mutant: those of core (all in memory) and the unit tests beside the
 * adapters' modules, none of which needs a server. The real-server, browser and child-process suites are left
 * out: they are slow per mutant, and the modules Stryker mutates are decided in memory.
 */
export default defineConfig({
  resolve: { alias: workspaceAlias },
  plugins: workspacePlugins,
  test: {
    include: [
      'packages/core/src/**/*.test.ts',
      'packages/core/test/**/*.test.ts',
      'packages/adapter-redis/src/**/*.test.ts',
      'packages/adapter-postgres/src/**/*.test.ts',
    ],
    testTimeout: 30_000,
  },
});
