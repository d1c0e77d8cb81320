/**
 * Source files that the packages import as text: a module whose default export is the file's text,
 * prepared the same way under every tool that loads the sources (tsup for the published build, vitest
 * for the tests, tsx for the example app and the benchmarks), so what a test runs is what ships. The
 * published bundles carry the text inline: they read no files at run time.
 *
 * - `*.lua`: a Redis script, its includes inlined (see lua-includes.ts).
 */
import { readLuaWithIncludes } from './lua-includes.js';

/** Whether an import specifier or path names a file imported as text. */
export function isInlineAsset(path: string): boolean {
  return path.endsWith('.lua');
}

/** The text a file imported as text stands for. */
export async function inlineAssetText(path: string): Promise<string> {
  return readLuaWithIncludes(path);
}

/** An ES module whose default export is `text`. */
export function textModule(text: string): string {
  return `export default ${JSON.stringify(text)};\n`;
}
