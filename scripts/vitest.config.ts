import { defineConfig } from 'vitest/config';

// The repository's own tooling: the environment script and what the packages publish.
export default defineConfig({
  test: { include: ['*.test.ts'], testTimeout: 60_000 },
});
