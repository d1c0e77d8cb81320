/**
 * Loads the files imported as text (see inline-asset.ts) in vitest. They get a module id of their own:
 * the `\0` prefix marks a module other plugins leave alone, and the `.text.js` ending keeps the ones that
 * look at the ending from taking it for what the file's own extension says (vite's CSS handling would
 * replace a `.css` module, whatever its content).
 */
import { dirname, resolve } from 'node:path';
import type { Plugin } from 'vitest/config';
import { inlineAssetText, isInlineAsset, textModule } from './inline-asset.js';

const ID_PREFIX = '\0inline-asset:';
const ID_SUFFIX = '.text.js';

export function inlineAssetsVitePlugin(): Plugin {
  return {
    name: 'inline-assets',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source.startsWith(ID_PREFIX)) return source; // vitest asks again for the id it was given
      if (!importer || !isInlineAsset(source)) return null;
      return ID_PREFIX + resolve(dirname(importer.split('?')[0]!), source) + ID_SUFFIX;
    },
    async load(id) {
      if (!id.startsWith(ID_PREFIX) || !id.endsWith(ID_SUFFIX)) return null;
      return textModule(await inlineAssetText(id.slice(ID_PREFIX.length, -ID_SUFFIX.length)));
    },
  };
}
