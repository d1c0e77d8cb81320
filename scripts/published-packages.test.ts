/**
 * What `pnpm pack` puts in each public package's tarball (what npm users get), and that a stack
 * trace out of the installed, built package points at files that exist. Runs on the build that
 * `npm test` makes before the tests.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PNPM = join(ROOT, 'node_modules', '.bin', 'pnpm');
const PACKAGES = ['core', 'adapter-redis', 'adapter-postgres', 'express-plugin'] as const;

interface Packed {
  directory: string;
  tarball: string;
  files: string[];
  manifest: Record<string, unknown>;
}

let workDir: string;
const packed = new Map<string, Packed>();

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'breakwater-pack-'));
  for (const name of PACKAGES) {
    const directory = join(ROOT, 'packages', name);
    if (!existsSync(join(directory, 'dist', 'index.js')))
      throw new Error(`packages/${name} is not built: run \`npx -y pnpm@10.34.9 build\` first (npm test does)`);
    const destination = join(workDir, name);
    await mkdir(destination);
    await run(PNPM, ['pack', '--pack-destination', destination], { cwd: directory });
    const [tarball] = await readdir(destination);
    if (!tarball) throw new Error(`pnpm pack wrote nothing for ${name}`);
    const path = join(destination, tarball);
    const { stdout } = await run('tar', ['-tzf', path]);
    await run('tar', ['-xzf', path, '-C', destination]);
    const manifest = JSON.parse(await readFile(join(destination, 'package', 'package.json'), 'utf8')) as Record<string, unknown>;
    packed.set(name, { directory: `packages/${name}`, tarball: path, files: stdout.split('\n').filter(Boolean), manifest });
  }
}, 120_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function get(name: string): Packed {
  const result = packed.get(name);
  if (!result) throw new Error(`${name} was not packed`);
  return result;
}

describe.each(PACKAGES)('the published @breakwater/%s', (name) => {
  it('holds its build, README, LICENSE and package.json, and no sources, tests or source maps', () => {
    const { files } = get(name);
    expect(files).toEqual(
      expect.arrayContaining([
        'package/LICENSE',
        'package/README.md',
        'package/package.json',
        'package/dist/index.js',
        'package/dist/index.cjs',
      ]),
    );
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files.filter((file) => /^package\/(src|test|bench)\//.test(file) || file.endsWith('.test.ts'))).toEqual([]);
  });

  it('says where it comes from, under the MIT license, with workspace versions replaced', () => {
    const { manifest, directory } = get(name);
    expect(manifest).toMatchObject({
      license: 'MIT',
      repository: { type: 'git', directory },
      bugs: { url: expect.stringMatching(/^https:\/\//) },
      homepage: expect.stringMatching(/^https:\/\//),
    });
    expect((manifest.keywords as string[]).length).toBeGreaterThan(0);
    expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain('workspace:');
  });
});

describe('a stack trace from the installed package', () => {
  /** Installs the packed core into a fresh node_modules, its dependencies linked from the workspace. */
  async function installCore(): Promise<string> {
    const app = join(workDir, 'app');
    const modules = join(app, 'node_modules');
    await mkdir(join(modules, '@breakwater'), { recursive: true });
    // Copied, not linked: Node resolves a linked package's imports from where the link points.
    await cp(join(workDir, 'core', 'package'), join(modules, '@breakwater', 'core'), { recursive: true });
    for (const dependency of Object.keys(get('core').manifest.dependencies as Record<string, string>)) {
      await symlink(join(ROOT, 'packages', 'core', 'node_modules', dependency), join(modules, dependency));
    }
    return app;
  }

  /** Absolute paths of the stack frames (`at f (/path/file.js:1:2)` or `file:///…`). */
  function framePaths(stack: string): string[] {
    return [...stack.matchAll(/\((?:file:\/\/)?(\/[^():]+):\d+:\d+\)|at (?:file:\/\/)?(\/[^():]+):\d+:\d+/g)]
      .map((match) => match[1] ?? match[2] ?? '')
      .filter((path) => path.includes('@breakwater'));
  }

  it('points at files that exist, with source maps enabled, in ESM and CommonJS', async () => {
    const app = await installCore();
    const throwing = `createBreakwater({ services: [] })`;
    const esm = `import { createBreakwater } from '@breakwater/core'; try { ${throwing} } catch (e) { console.log(e.stack) }`;
    const cjs = `const { createBreakwater } = require('@breakwater/core'); try { ${throwing} } catch (e) { console.log(e.stack) }`;
    for (const [flag, source] of [
      ['--input-type=module', esm],
      ['--input-type=commonjs', cjs],
    ] as const) {
      const { stdout } = await run(process.execPath, ['--enable-source-maps', flag, '-e', source], { cwd: app });
      expect(stdout).toContain('InvalidOptionsError');
      const paths = framePaths(stdout);
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) expect({ path, exists: existsSync(path) }).toEqual({ path, exists: true });
      expect(paths.every((path) => dirname(path) === join(app, 'node_modules', '@breakwater', 'core', 'dist'))).toBe(true);
    }
  });
});
