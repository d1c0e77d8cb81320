/**
 * The Lua scripts as files (src/lua): every script's includes resolve, its header names its KEYS, ARGV
 * and reply, the stores run exactly those files; and the built package carries them inline, sending
 * Redis the very scripts the sources define (same SHA1) without reading any file.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readLuaWithIncludes } from '../../../tooling/inline-assets/lua-includes.js';
import { breakerScripts } from '../src/breaker-scripts.js';
import type * as BuiltPackage from '../src/index.js';
import type { LuaScript } from '../src/lua-script.js';
import { queueScripts } from '../src/queue-scripts.js';
import { workerRegistryScripts } from '../src/worker-registry-scripts.js';
import packageJson from '../package.json';
import tsupConfig from '../tsup.config.js';
import { resumeReport } from './resume-reports.js';
import { closeAll, closeLater, connectRedis, randomPrefix } from './redis-clients.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const luaDir = `${packageDir}src/lua/`;
const scriptFiles = readdirSync(luaDir).filter((name) => name.endsWith('.lua'));
const resolvedText = (file: string) => readLuaWithIncludes(luaDir + file);
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

const scriptsByFile: Record<string, LuaScript> = {
  'breaker-initialize.lua': breakerScripts.initialize,
  'breaker-read.lua': breakerScripts.read,
  'queue-initialize.lua': queueScripts.initialize,
  'breaker-record-failure.lua': breakerScripts.recordFailure,
  'breaker-record-success.lua': breakerScripts.recordSuccess,
  'breaker-acquire-permit.lua': breakerScripts.acquirePermit,
  'breaker-trip.lua': breakerScripts.trip,
  'breaker-reset.lua': breakerScripts.reset,
  'queue-pause.lua': queueScripts.pause,
  'queue-resume.lua': queueScripts.resume,
  'queue-read-states.lua': queueScripts.readStates,
  'resume-lock-renew.lua': queueScripts.renewLock,
  'resume-lock-release.lua': queueScripts.releaseLock,
  'resume-report-save.lua': queueScripts.saveReport,
  'worker-heartbeat.lua': workerRegistryScripts.beat,
  'worker-list.lua': workerRegistryScripts.list,
  'worker-remove.lua': workerRegistryScripts.remove,
};

afterAll(closeAll);

describe('the Lua sources', () => {
  it('are every script the stores run, one file each', () => {
    expect(scriptFiles.sort()).toEqual(Object.keys(scriptsByFile).sort());
  });

  it.each(scriptFiles)('%s resolves its includes and opens with a header naming KEYS, ARGV and the reply', (file) => {
    const text = resolvedText(file);
    expect(text).not.toMatch(/@include/);
    expect(text).toMatch(/^--\[\[\n[^]*KEYS[^]*ARGV[^]*[Rr]eply[^]*?\n\]\]\n/);
    // Every breaker script but the plain read shares the prelude (the read needs none of it).
    if (file.startsWith('breaker-') && file !== 'breaker-read.lua') expect(text).toContain(resolvedText('includes/breaker-prelude.lua'));
  });

  it.each(scriptFiles)('%s is what the store runs (the text vitest loads is the resolved file)', (file) => {
    expect(scriptsByFile[file]?.lua).toBe(resolvedText(file));
  });
});

describe('the built package', () => {
  const outDir = `${packageDir}test-output/built-package`;
  let built: typeof BuiltPackage;

  beforeAll(async () => {
    // The package's own build config, into a directory of the test's, with core bundled from its sources
    // so the test needs no earlier build. The Lua files are not beside the bundle: it must carry them.
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
      external: Object.keys({ ...packageJson.dependencies, ...packageJson.peerDependencies }).filter((name) => name !== '@breakwater/core'),
      noExternal: ['@breakwater/core'],
      esbuildOptions(options) {
        options.alias = { '@breakwater/core': fileURLToPath(new URL('../../core/src/index.ts', import.meta.url)) };
      },
    });
    built = (await import(pathToFileURL(`${outDir}/index.js`).href)) as typeof built;
  }, 60_000);

  it('runs every script, and sends Redis exactly the scripts of src/lua', async () => {
    const redis = connectRedis();
    const sent = vi.spyOn(redis, 'evalsha');
    const keyPrefix = randomPrefix();
    const breakers = closeLater(new built.RedisCircuitBreakerStore({ redis, keyPrefix, nearCacheMaxAgeMs: 0 }));
    const queues = closeLater(new built.RedisQueueStore({ redis, keyPrefix, nearCacheMaxAgeMs: 0 }));
    const policy = { failureThreshold: 1, resetTimeoutMs: 0, halfOpenMaxProbes: 1, successThreshold: 1 };
    const now = Date.now();

    expect(await breakers.initialize({ services: ['apollo'], paused: [], now })).toBe(true);
    expect(await queues.initialize({ services: ['apollo'], paused: [] })).toBe(true);
    expect((await breakers.get('apollo', now)).state).toBe('closed');
    expect((await breakers.recordFailure('apollo', { reason: 'down' }, policy, now)).transition).toBe('opened');
    expect((await breakers.acquirePermit('apollo', policy, now + 1)).transition).toBe('half_opened');
    expect((await breakers.recordSuccess('apollo', policy, now + 2)).transition).toBe('closed');
    expect((await breakers.trip('apollo', 'maintenance', policy, now + 3)).transition).toBe('opened');
    expect((await breakers.reset('apollo', now + 4)).transition).toBe('reset');

    expect(await queues.pause('apollo', 'down')).toBe(true);
    expect(await queues.resume('apollo')).toBe(true);
    expect((await queues.getStates(['apollo']))[0]?.state).toBe('ACTIVE');
    const token = await queues.acquireResumeLock(10_000);
    expect(token).not.toBeNull();
    expect(await queues.renewResumeLock(token!, 10_000)).toBe(true);
    expect(await queues.releaseResumeLock(token!)).toBe(true);
    await queues.saveLastReport(resumeReport('r1'));

    const workers = new built.RedisWorkerRegistry({ redis, keyPrefix });
    const heartbeat = {
      workerId: 'w1',
      service: 'apollo',
      pid: 1,
      hostname: 'h',
      concurrency: 1,
      jobsInFlight: 0,
      startedAt: now,
      lastSeenAt: now,
    };
    await workers.beat(heartbeat, 10_000);
    expect(await workers.list()).toEqual([heartbeat]);
    expect(await workers.remove('w1')).toBe(true);

    const sentShas = new Set(sent.mock.calls.map(([sha]) => sha));
    expect(sentShas).toEqual(new Set(scriptFiles.map((file) => sha1(resolvedText(file)))));
  });
});
