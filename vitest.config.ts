import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each package and example owns its vitest.config.ts (timeouts, pools, setup).
    projects: ['packages/*', 'examples/*', 'scripts'],
  },
});
