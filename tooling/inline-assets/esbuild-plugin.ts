/** Inlines the files imported as text (see inline-asset.ts) into a tsup/esbuild bundle. */
import type { Options } from 'tsup';
import { dirname, relative, resolve } from 'node:path';
import { BROWSER_SCRIPT_QUERY, inlineAssetText, isInlineAsset } from './inline-asset.js';

export type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

export function inlineAssetsEsbuildPlugin(): EsbuildPlugin {
  return {
    name: 'inline-assets',
    setup(build) {
      // A namespace and a path of their own: no loader or plugin keyed on the extension takes them (tsup's
      // CSS plugin would turn a `.css` import into an empty object), and the path esbuild writes in the
      // bundle's comments is relative, so no builder's directory gets published.
      const workingDir = build.initialOptions.absWorkingDir ?? process.cwd();
      build.onResolve({ filter: /\.(lua|css)$|\?browser$/ }, (args) => {
        if (!isInlineAsset(args.path)) return undefined;
        const file = resolve(dirname(args.importer), args.path);
        return { path: `${relative(workingDir, file)} (as text)`, namespace: 'inline-asset', pluginData: { file } };
      });
      build.onLoad({ filter: /.*/, namespace: 'inline-asset' }, async (args) => {
        const { file } = args.pluginData as { file: string };
        return { contents: await inlineAssetText(file), loader: 'text', watchFiles: [file.replace(BROWSER_SCRIPT_QUERY, '')] };
      });
    },
  };
}
