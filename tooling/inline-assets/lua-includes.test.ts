import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLuaWithIncludes } from './lua-includes.js';

/** Writes the files (path → text) under a fresh directory and returns it. */
function scripts(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lua-includes-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('readLuaWithIncludes', () => {
  it('replaces an include line with the file, relative to the including file, `.lua` optional', () => {
    const root = scripts({
      'main.lua': '-- main\n--- @include "includes/shared"\nreturn shared()\n',
      'includes/shared.lua': '--- @include "./constants.lua"\nlocal function shared() return ANSWER end\n',
      'includes/constants.lua': 'local ANSWER = 42\n',
    });
    expect(readLuaWithIncludes(join(root, 'main.lua'))).toBe(
      '-- main\nlocal ANSWER = 42\nlocal function shared() return ANSWER end\nreturn shared()\n',
    );
  });

  it('inlines a file included twice in one script once', () => {
    const root = scripts({
      'main.lua': '--- @include "a"\n--- @include "b"\nreturn 1\n',
      'a.lua': '--- @include "common"\nlocal a = 1\n',
      'b.lua': '--- @include "common"\nlocal b = 2\n',
      'common.lua': 'local common = 0\n',
    });
    expect(readLuaWithIncludes(join(root, 'main.lua'))).toBe('local common = 0\nlocal a = 1\n\nlocal b = 2\nreturn 1\n');
  });

  it('leaves text that only mentions an include alone', () => {
    const root = scripts({ 'main.lua': '-- see --- @include "x" in the docs\nreturn 1\n' });
    expect(readLuaWithIncludes(join(root, 'main.lua'))).toBe('-- see --- @include "x" in the docs\nreturn 1\n');
  });

  it('fails on a missing file, naming the file that includes it', () => {
    const root = scripts({ 'main.lua': '--- @include "includes/nowhere"\n' });
    expect(() => readLuaWithIncludes(join(root, 'main.lua'))).toThrow(
      `${join(root, 'main.lua')} includes "includes/nowhere", which does not exist`,
    );
  });

  it('fails on a cycle, naming its files', () => {
    const root = scripts({ 'main.lua': '--- @include "a"\n', 'a.lua': '--- @include "b"\n', 'b.lua': '--- @include "a"\n' });
    expect(() => readLuaWithIncludes(join(root, 'main.lua'))).toThrow(
      `Lua include cycle: ${join(root, 'main.lua')} -> ${join(root, 'a.lua')} -> ${join(root, 'b.lua')} -> ${join(root, 'a.lua')}`,
    );
  });
});
