import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each package and example (and the build tooling, the fault suite and the scripts) owns its vitest.config.ts (timeouts, pools, setup).
    projects: ['packages/*', 'examples/*', 'tests/*', 'tooling', 'scripts'],
  },
});
