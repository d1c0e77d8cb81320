import type { Options } from 'tsup';
import { inlineAssetsEsbuildPlugin } from './tooling/inline-assets/esbuild-plugin';

/** One build shape for every public package: ESM + CJS + .d.ts, spread into each package's tsup.config.ts. */
export const baseTsupConfig: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  // No source maps: a map pointing at src/*.ts, which is not published, sends stack traces and
  // debuggers to files that do not exist. The output is unminified, so a trace into dist/ reads well.
  sourcemap: false,
  clean: true,
  target: 'node20',
  splitting: false,
  treeshake: true,
  // Files the sources import as text (Lua scripts) are inlined: the packages read no files at run time.
  esbuildPlugins: [inlineAssetsEsbuildPlugin()],
};
