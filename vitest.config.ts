import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Mutation testing (pnpm mutate) rewrites copies of the sources there: a watching run must not react to them.
  server: { watch: { ignored: ['**/.stryker-tmp/**', '**/reports/**'] } },
  test: {
    // Each package and example (and the build tooling, the fault suite and the scripts) owns its vitest.config.ts (timeouts, pools, setup).
    projects: ['packages/*', 'examples/*', 'tests/*', 'tooling', 'scripts'],
  },
});
