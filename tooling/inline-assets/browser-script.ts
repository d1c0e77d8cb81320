/**
 * A TypeScript entry for the browser, compiled into one self-contained script (an IIFE, ES2020) that a
 * page can inline: its imports are bundled, `@breakwater/*` resolved to the packages' sources through the
 * repository's tsconfig paths (the packages are side-effect free, so only what the script uses is kept).
 * The build fails if anything Node.js-only survives, since it could never run in the page.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function compileBrowserScript(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    charset: 'utf8',
    legalComments: 'none',
    tsconfig: `${REPOSITORY_ROOT}tsconfig.json`,
    // The module comments esbuild writes name paths from here: the same text whoever compiles it.
    absWorkingDir: REPOSITORY_ROOT,
    // Unused parts of a package may import Node.js modules; tree-shaking drops them (checked below).
    external: ['node:*'],
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`${entry}: esbuild produced no script`);
  const kept = Object.values(result.metafile.outputs).flatMap((meta) => meta.imports.filter((imported) => imported.external));
  if (kept[0]) throw new Error(`${entry}: the browser script would need ${kept[0].path}, which no browser has`);
  return output.text;
}
