/** Inlines the files imported as text (see inline-asset.ts) into a tsup/esbuild bundle. */
import type { Options } from 'tsup';
import { inlineAssetText } from './inline-asset.js';

export type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

export function inlineAssetsEsbuildPlugin(): EsbuildPlugin {
  return {
    name: 'inline-assets',
    setup(build) {
      build.onLoad({ filter: /\.lua$/ }, async (args) => ({ contents: await inlineAssetText(args.path), loader: 'text' }));
    },
  };
}
