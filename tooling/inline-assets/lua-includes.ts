/**
 * Lua scripts share code through includes, as BullMQ's do: a line of its own
 *
 *   --- @include "includes/breaker-prelude"
 *
 * is replaced by that file's text (its path relative to the including file, `.lua` optional), its own
 * includes resolved the same way. Redis receives one self-contained script; a file included twice in
 * one script is inlined once, and a cycle or a missing file fails the build naming the files involved.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const INCLUDE_LINE = /^---\s*@include\s+"([^"]+)"\s*$/gm;

/** The script at `file` with every include inlined. */
export function readLuaWithIncludes(file: string): string {
  return inline(resolve(file), [], new Set());
}

function inline(file: string, including: readonly string[], inlined: Set<string>): string {
  if (including.includes(file)) throw new Error(`Lua include cycle: ${[...including, file].join(' -> ')}`);
  inlined.add(file);
  const text = readFileSync(file, 'utf8');
  return text.replace(INCLUDE_LINE, (_line, path: string) => {
    const included = resolve(dirname(file), path.endsWith('.lua') ? path : `${path}.lua`);
    if (inlined.has(included) && !including.includes(included)) return '';
    try {
      return inline(included, [...including, file], inlined).replace(/\n$/, '');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${file} includes "${path}", which does not exist`);
      throw error;
    }
  });
}
