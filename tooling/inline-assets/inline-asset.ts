/**
 * Source files that the packages import as text: a module whose default export is the file's text,
 * prepared the same way under every tool that loads the sources (tsup for the published build, vitest
 * for the tests, tsx for the example app and the benchmarks), so what a test runs is what ships. The
 * published bundles carry the text inline: they read no files at run time.
 *
 * - `*.lua`: a Redis script, its includes inlined (see lua-includes.ts).
 * - `*.css`: a stylesheet, as it is.
 * - `*.ts?browser`: a TypeScript entry compiled into one script for the browser (see browser-script.ts).
 */
import { readFileSync } from 'node:fs';
import { compileBrowserScript } from './browser-script.js';
import { readLuaWithIncludes } from './lua-includes.js';

export const BROWSER_SCRIPT_QUERY = '?browser';

/** Whether an import specifier, path or URL names a file imported as text. */
export function isInlineAsset(path: string): boolean {
  return path.endsWith('.lua') || path.endsWith('.css') || path.endsWith(BROWSER_SCRIPT_QUERY);
}

/** The text a file imported as text stands for (`path` may carry the `?browser` query). */
export async function inlineAssetText(path: string): Promise<string> {
  if (path.endsWith(BROWSER_SCRIPT_QUERY)) return compileBrowserScript(path.slice(0, -BROWSER_SCRIPT_QUERY.length));
  if (path.endsWith('.lua')) return readLuaWithIncludes(path);
  return readFileSync(path, 'utf8');
}

/** An ES module whose default export is `text`. */
export function textModule(text: string): string {
  return `export default ${JSON.stringify(text)};\n`;
}
