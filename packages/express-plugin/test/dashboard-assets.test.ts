/**
 * The dashboard's script (src/dashboard/client/, compiled for the browser) and stylesheet
 * (src/dashboard/dashboard.css) are carried inline: the built package serves exactly the page the
 * sources serve, reading no file at run time, and neither text can close its own tag early.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import express from 'express';
import request from 'supertest';
import { build } from 'tsup';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type * as BuiltPackage from '../src/index.js';
import packageJson from '../package.json';
import tsupConfig from '../tsup.config.js';
import { closeTestBreakwaters, createTestBreakwater } from './in-memory-breakwater.js';
import { MOUNT, createTestApp } from './test-app.js';

afterEach(closeTestBreakwaters);

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('the dashboard page', () => {
  it('inlines a script and a stylesheet that cannot end their element early', async () => {
    const { bw } = createTestBreakwater();
    const html = (await request(createTestApp({ breakwater: bw, allowUnauthenticated: true })).get(`${MOUNT}/dashboard`)).text;
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*)<\/style>/.exec(html)?.[1] ?? '';
    expect(script).toMatch(/^"use strict";\n\(\(\) => \{\n[\s\S]*\}\)\(\);\n$/);
    expect(script).not.toMatch(/<\/script/i);
    expect(style).toContain('.resume-body');
    expect(style).not.toMatch(/<\/style/i);
  });

  describe('from the built package', () => {
    const outDir = `${packageDir}test-output/built-package`;
    let built: typeof BuiltPackage;

    beforeAll(async () => {
      // The package's own build config, into a directory of the test's (core bundled from its sources, so
      // no earlier build is needed): client/ and dashboard.css are not beside the bundle, it must carry them.
      await build({
        ...tsupConfig,
        config: false,
        entry: { index: `${packageDir}src/index.ts` },
        outDir,
        format: ['esm'],
        dts: false,
        sourcemap: false,
        silent: true,
        // What the real build leaves out (tsup reads it from the package.json of the directory it runs in).
        external: Object.keys({ ...packageJson.dependencies, ...packageJson.peerDependencies }).filter(
          (name) => name !== '@breakwater/core',
        ),
        noExternal: ['@breakwater/core'],
        esbuildOptions(options) {
          options.alias = { '@breakwater/core': fileURLToPath(new URL('../../core/src/index.ts', import.meta.url)) };
        },
      });
      built = (await import(pathToFileURL(`${outDir}/index.js`).href)) as typeof built;
    }, 60_000);

    it('is the page the sources serve, with the same Content-Security-Policy', async () => {
      const { bw } = createTestBreakwater();
      const fromSources = await request(createTestApp({ breakwater: bw, allowUnauthenticated: true })).get(`${MOUNT}/dashboard`);
      const builtApp = express().use(MOUNT, built.queueManagementRouter({ breakwater: bw, allowUnauthenticated: true }));
      const fromBuild = await request(builtApp).get(`${MOUNT}/dashboard`);

      expect(fromBuild.status).toBe(200);
      expect(fromBuild.text).toBe(fromSources.text);
      expect(fromBuild.headers['content-security-policy']).toBe(fromSources.headers['content-security-policy']);
    });
  });
});
