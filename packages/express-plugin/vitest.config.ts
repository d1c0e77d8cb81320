import { defineConfig } from 'vitest/config';
import { workspaceAlias, workspacePlugins } from '../../vitest.shared';

export default defineConfig({
  resolve: { alias: workspaceAlias },
  plugins: workspacePlugins,
  // test/express4/ runs the HTTP suites again with `express` mocked to Express 4 (the `express4` alias).
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
});
