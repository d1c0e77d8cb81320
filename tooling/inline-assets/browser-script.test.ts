import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBrowserScript } from './browser-script.js';

function entry(source: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'browser-script-')), 'entry.ts');
  writeFileSync(file, source);
  return file;
}

describe('compileBrowserScript', () => {
  it('bundles what the entry uses of a package into one script, and nothing else of it', async () => {
    const script = await compileBrowserScript(
      entry(`import { RESUME_BUTTON_LABEL } from '@breakwater/core';\ndocument.title = RESUME_BUTTON_LABEL;\n`),
    );
    expect(script).toMatch(/^"use strict";\n\(\(\) => \{\n/);
    expect(script).toContain('var RESUME_BUTTON_LABEL = "Resume Queue & All Campaigns";');
    expect(script).toContain('document.title = RESUME_BUTTON_LABEL;');
    // The rest of core (zod options, the event emitter, the worker) stays out.
    expect(script).not.toMatch(/zod|EventEmitter|randomUUID|\bimport\b|\brequire\(/);
  });

  it('refuses a script that would need a Node.js module', async () => {
    const file = entry(`import { randomUUID } from 'node:crypto';\ndocument.title = randomUUID();\n`);
    await expect(compileBrowserScript(file)).rejects.toThrow(`${file}: the browser script would need node:crypto, which no browser has`);
  });
});
