import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each package and example (and the build tooling, and the fault suite) owns its vitest.config.ts (timeouts, pools, setup).
    projects: ['packages/*', 'examples/*', 'tests/*', 'tooling'],
  },
});
