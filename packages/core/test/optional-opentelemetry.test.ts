/**
 * `@opentelemetry/api` is an optional peer: the built package must load and run where it is not installed,
 * importing it only on demand (a dynamic import that may fail), never at load.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../package.json';
import tsupConfig from '../tsup.config.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
let appDir: string;
let bundle: string;

beforeAll(async () => {
  // A host without OpenTelemetry: the bundle and core's own dependencies, nothing else.
  appDir = await mkdtemp(join(tmpdir(), 'breakwater-no-otel-'));
  await build({
    ...tsupConfig,
    config: false,
    entry: { index: `${packageDir}src/index.ts` },
    outDir: appDir,
    format: ['esm'],
    dts: false,
    sourcemap: false,
    silent: true,
    // What the real build leaves out (tsup reads it from the package.json of the directory it runs in).
    external: Object.keys({ ...packageJson.dependencies, ...packageJson.peerDependencies }),
  });
  bundle = await readFile(join(appDir, 'index.js'), 'utf8');
  await mkdir(join(appDir, 'node_modules'));
  for (const dependency of ['eventemitter3', 'zod']) {
    const root = dirname(require.resolve(`${dependency}/package.json`));
    await symlink(root, join(appDir, 'node_modules', dependency), 'dir');
  }
  await writeFile(join(appDir, 'package.json'), '{ "type": "module" }');
}, 60_000);

afterAll(async () => {
  if (appDir) await rm(appDir, { recursive: true, force: true });
});

describe('without @opentelemetry/api installed', () => {
  it('the bundle imports it only on demand', () => {
    expect(bundle).not.toMatch(/^import .*@opentelemetry/m);
    expect(bundle).toContain(`import('@opentelemetry/api')`);
  });

  it('trips, resumes and runs a worker as usual', async () => {
    await writeFile(
      join(appDir, 'host.js'),
      `import { createBreakwater, InMemoryCampaignRepository, InMemoryCircuitBreakerStore, InMemoryQueueStore } from './index.js';
      const campaigns = new InMemoryCampaignRepository();
      const bw = createBreakwater({ services: ['apollo'], breakerStore: new InMemoryCircuitBreakerStore(), queueStore: new InMemoryQueueStore(), campaigns, reconcileIntervalMs: 0, tracing: { execute: true } });
      const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
      const job = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
      await bw.breakers.trip('apollo', 'down');
      await bw.breakers.reset('apollo');
      const report = await bw.resumeQueue();
      const worker = bw.createWorker({ service: 'apollo', pollIntervalMs: 5, handler: async () => 'sent' });
      await worker.start();
      while ((await campaigns.getJob(job.id)).status !== 'COMPLETED') await new Promise((r) => setTimeout(r, 5));
      await worker.stop();
      await bw.close();
      console.log(report.message);`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, [join(appDir, 'host.js')], { cwd: appDir });
    expect(stdout.trim()).toBe('Queue resumed successfully: 1 jobs and 1 campaigns resumed');
  });
});
