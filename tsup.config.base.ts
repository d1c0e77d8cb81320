import type { Options } from 'tsup';

/** One build shape for every public package: ESM + CJS + .d.ts, spread into each package's tsup.config.ts. */
export const baseTsupConfig = {
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: false,
  treeshake: true,
} satisfies Options;
