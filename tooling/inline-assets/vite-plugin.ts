/**
 * Loads the files imported as text (see inline-asset.ts) in vitest. They get an id of their own (the
 * `\0` prefix marks a module no other plugin should touch), so no other plugin treats them as what their
 * extension says.
 */
import { dirname, resolve } from 'node:path';
import type { Plugin } from 'vitest/config';
import { inlineAssetText, isInlineAsset, textModule } from './inline-asset.js';

const ID_PREFIX = '\0inline-asset:';

export function inlineAssetsVitePlugin(): Plugin {
  return {
    name: 'inline-assets',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source.startsWith(ID_PREFIX)) return source; // vitest asks again for the id it was given
      if (!importer || !isInlineAsset(source)) return null;
      return ID_PREFIX + resolve(dirname(importer.split('?')[0]!), source);
    },
    async load(id) {
      if (!id.startsWith(ID_PREFIX)) return null;
      return textModule(await inlineAssetText(id.slice(ID_PREFIX.length)));
    },
  };
}
