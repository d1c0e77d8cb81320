import { fileURLToPath } from 'node:url';
import { inlineAssetsVitePlugin } from './tooling/inline-assets/vite-plugin';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Tests import the packages by their public names but run against the sources,
 * so a test never depends on a stale build.
 */
export const workspaceAlias = [
  { find: /^@breakwater\/core\/testing$/, replacement: fromRoot('./packages/core/src/testing/index.ts') },
  { find: /^@breakwater\/core$/, replacement: fromRoot('./packages/core/src/index.ts') },
  { find: /^@breakwater\/adapter-redis$/, replacement: fromRoot('./packages/adapter-redis/src/index.ts') },
  { find: /^@breakwater\/adapter-postgres$/, replacement: fromRoot('./packages/adapter-postgres/src/index.ts') },
  { find: /^@breakwater\/express-plugin$/, replacement: fromRoot('./packages/express-plugin/src/index.ts') },
];

/** The files the sources import as text (Lua scripts), loaded as the published build inlines them. */
export const workspacePlugins = [inlineAssetsVitePlugin()];
