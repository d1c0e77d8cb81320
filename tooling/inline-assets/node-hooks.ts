/**
 * Node.js module hooks that load the files imported as text (see inline-asset.ts) when the sources run
 * under tsx: `npm start`, the demo, the benchmarks and the processes the multi-process tests fork.
 * Registered by register.ts (`tsx --import <repo>/tooling/inline-assets/register.ts …`).
 */
import type { LoadHook, ResolveHook } from 'node:module';
import { fileURLToPath } from 'node:url';
import { inlineAssetText, isInlineAsset, textModule } from './inline-asset.js';

export const resolve: ResolveHook = (specifier, context, nextResolve) => {
  if (!isInlineAsset(specifier) || !context.parentURL) return nextResolve(specifier, context);
  return { url: new URL(specifier, context.parentURL).href, shortCircuit: true };
};

export const load: LoadHook = async (url, context, nextLoad) => {
  if (!url.startsWith('file:') || !isInlineAsset(url)) return nextLoad(url, context);
  const file = new URL(url);
  const query = file.search; // `?browser` is part of what the file is imported as
  file.search = '';
  const path = fileURLToPath(file) + query;
  return { format: 'module', source: textModule(await inlineAssetText(path)), shortCircuit: true };
};
