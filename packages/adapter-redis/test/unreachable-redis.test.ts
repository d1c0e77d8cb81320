/**
 * Redis away: every operation fails within operationTimeoutMs (ioredis would otherwise queue commands
 * until it reconnects), through Breakwater with a StoreError naming it; failOpen reads answer from what
 * was last seen; and the stores recover by themselves once Redis is back.
 */
import { DEFAULT_POLICY, InMemoryCampaignRepository, createBreakwater, isBreakwaterError } from '@breakwater/core';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore, RedisQueueStore } from '../src/index.js';
import { CuttableProxy, deadPort } from './cuttable-proxy.js';
import type { BreakerChange } from '@breakwater/core';
import { resumeReport } from './resume-reports.js';
import { closeAll, closeLater, connectRedis, randomPrefix, redisUrl, sleep, waitUntil, setUpStores } from './redis-clients.js';

afterAll(closeAll);

const TIMEOUT_MS = 200;

/** Settles within a few timeouts, or the test fails: an operation must never hang. */
async function settled<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const hang = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the operation hung')), TIMEOUT_MS * 5));
  try {
    return { value: await Promise.race([promise, hang]) };
  } catch (error) {
    if (error instanceof Error && error.message === 'the operation hung') throw error;
    return { error };
  }
}

function storesOn(url: string, options: { failOpen?: boolean; keyPrefix?: string; nearCacheMaxAgeMs?: number } = {}) {
  const redis = connectRedis({}, url);
  const common = {
    redis,
    operationTimeoutMs: TIMEOUT_MS,
    keyPrefix: options.keyPrefix ?? randomPrefix(),
    failOpen: options.failOpen ?? false,
    ...(options.nearCacheMaxAgeMs === undefined ? {} : { nearCacheMaxAgeMs: options.nearCacheMaxAgeMs }),
  };
  const direct = { breakers: closeLater(new RedisCircuitBreakerStore(common)), queues: closeLater(new RedisQueueStore(common)) };
  // What callers get: the stores behind core's port guard, which wraps what they throw into StoreError.
  const bw = closeLater(
    createBreakwater({ services: ['apollo', 'openai'], breakerStore: direct.breakers, queueStore: direct.queues, reconcileIntervalMs: 0 }),
  );
  return { redis, direct, breakers: bw.breakerStore, queues: bw.queueStore };
}

describe('Redis unreachable', () => {
  it('fails closed by default: each operation rejects with a StoreError naming it, and none hangs', async () => {
    const { breakers, queues } = storesOn(`redis://127.0.0.1:${await deadPort()}`);
    const now = Date.now();
    const calls: [string, () => Promise<unknown>][] = [
      ['CircuitBreakerStore.get', () => breakers.get('apollo', now)],
      ['CircuitBreakerStore.list', () => breakers.list(['apollo', 'openai'], now)],
      ['CircuitBreakerStore.recordFailure', () => breakers.recordFailure('apollo', {}, DEFAULT_POLICY, now)],
      ['CircuitBreakerStore.recordSuccess', () => breakers.recordSuccess('apollo', DEFAULT_POLICY, now)],
      ['CircuitBreakerStore.acquirePermit', () => breakers.acquirePermit('apollo', DEFAULT_POLICY, now)],
      ['CircuitBreakerStore.trip', () => breakers.trip('apollo', 'maintenance', DEFAULT_POLICY, now)],
      ['CircuitBreakerStore.reset', () => breakers.reset('apollo', now)],
      ['QueueStore.getStates', () => queues.getStates(['apollo'])],
      ['QueueStore.pause', () => queues.pause('apollo', 'why')],
      ['QueueStore.resume', () => queues.resume('apollo')],
      ['QueueStore.acquireResumeLock', () => queues.acquireResumeLock(1_000)],
      ['QueueStore.releaseResumeLock', () => queues.releaseResumeLock('token')],
      ['QueueStore.isResumeLocked', () => queues.isResumeLocked()],
      ['QueueStore.saveLastReport', () => queues.saveLastReport(resumeReport('resume-1'))],
      ['QueueStore.getLastReport', () => queues.getLastReport()],
    ];
    const outcomes = await Promise.all(calls.map(async ([name, call]) => [name, await settled(call())] as const));
    for (const [name, outcome] of outcomes) {
      expect(outcome.error, name).toMatchObject({
        code: 'STORE_ERROR',
        message: expect.stringMatching(new RegExp(`^${name.replace('.', '\\.')} failed: `)),
      });
    }
  });

  it('used directly, a store throws what went wrong as it is: the port guard alone wraps it', async () => {
    const { direct } = storesOn(`redis://127.0.0.1:${await deadPort()}`);
    const { error } = await settled(direct.queues.pause('apollo', 'why'));
    expect(isBreakwaterError(error)).toBe(false);
    expect(error).toMatchObject({ message: expect.stringMatching(/^Redis not reachable within \d+ ms/) });
  });

  it('failOpen with nothing seen yet: reads answer closed and ACTIVE, writes still fail', async () => {
    const { breakers, queues } = storesOn(`redis://127.0.0.1:${await deadPort()}`, { failOpen: true });
    const now = Date.now();
    expect((await settled(breakers.get('apollo', now))).value).toMatchObject({ service: 'apollo', state: 'closed', failureCount: 0 });
    expect((await settled(breakers.list(['apollo'], now))).value).toMatchObject([{ state: 'closed' }]);
    expect((await settled(breakers.acquirePermit('apollo', DEFAULT_POLICY, now))).value).toMatchObject({ allowed: true, transition: null });
    expect((await settled(breakers.recordSuccess('apollo', DEFAULT_POLICY, now))).value).toMatchObject({
      transition: null,
      record: { state: 'closed' },
    });
    expect((await settled(queues.getStates(['apollo']))).value).toMatchObject([{ service: 'apollo', state: 'ACTIVE' }]);
    expect((await settled(breakers.recordFailure('apollo', {}, DEFAULT_POLICY, now))).error).toMatchObject({ code: 'STORE_ERROR' });
    expect((await settled(queues.pause('apollo', 'why'))).error).toMatchObject({ code: 'STORE_ERROR' });
  });

  it('failOpen answers from the last values seen, and everything recovers once Redis is back', async () => {
    const proxy = CuttableProxy.forUrl(redisUrl());
    await proxy.start();
    const { direct, breakers, queues } = storesOn(proxy.url(), { failOpen: true });
    await Promise.all([direct.breakers.ready(), direct.queues.ready()]);
    await setUpStores(direct.breakers, direct.queues);
    await breakers.trip('apollo', 'maintenance', DEFAULT_POLICY, Date.now());
    await queues.pause('apollo', 'Circuit breaker open for apollo');

    await proxy.cut();
    const now = Date.now();
    expect((await settled(breakers.get('apollo', now))).value).toMatchObject({ state: 'open', latched: true });
    expect((await settled(breakers.acquirePermit('apollo', DEFAULT_POLICY, now))).value).toMatchObject({ allowed: false, reason: 'open' });
    expect((await settled(queues.getStates(['apollo', 'openai']))).value).toMatchObject([
      { state: 'PAUSED', reason: 'Circuit breaker open for apollo' },
      { state: 'ACTIVE' },
    ]);
    expect((await settled(breakers.reset('apollo', now))).error).toMatchObject({ code: 'STORE_ERROR' });

    await proxy.start();
    expect(await waitUntil(async () => (await settled(breakers.reset('apollo', Date.now()))).value !== undefined, 5_000)).toBe(true);
    expect(await breakers.get('apollo', Date.now())).toMatchObject({ state: 'closed', tripCount: 1 });
    expect(await queues.resume('apollo')).toBe(true);
    await proxy.cut();
  });

  it('fails closed through an outage and recovers without a restart', async () => {
    const proxy = CuttableProxy.forUrl(redisUrl());
    await proxy.start();
    // No near-cache: what is checked here is every read going to Redis (a cached one may answer within its bound).
    const { direct, breakers, queues } = storesOn(proxy.url(), { nearCacheMaxAgeMs: 0 });
    await setUpStores(direct.breakers, direct.queues);
    expect((await breakers.get('apollo', Date.now())).state).toBe('closed');

    await proxy.cut();
    expect((await settled(breakers.get('apollo', Date.now()))).error).toMatchObject({
      code: 'STORE_ERROR',
      message: expect.stringMatching(/^CircuitBreakerStore\.get failed: /),
    });
    expect((await settled(queues.getStates(['apollo']))).error).toMatchObject({
      code: 'STORE_ERROR',
      message: expect.stringMatching(/^QueueStore\.getStates failed: /),
    });

    await proxy.start();
    expect(
      await waitUntil(async () => (await settled(breakers.trip('apollo', 'back', DEFAULT_POLICY, Date.now()))).value !== undefined, 5_000),
    ).toBe(true);
    expect((await breakers.get('apollo', Date.now())).state).toBe('open');
    expect(await queues.pause('apollo', 'back')).toBe(true);
    await proxy.cut();
  });

  it('once Redis is known to be down, operations fail at once (ioredis keeps probing), and recover when it is back', async () => {
    const proxy = CuttableProxy.forUrl(redisUrl());
    await proxy.start();
    const { direct, breakers, queues } = storesOn(proxy.url(), { nearCacheMaxAgeMs: 0 });
    await setUpStores(direct.breakers, direct.queues);
    await proxy.cut();

    const first = Date.now();
    expect((await settled(breakers.get('apollo', Date.now()))).error).toMatchObject({ code: 'STORE_ERROR' });
    expect(Date.now() - first).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    for (const call of [() => breakers.get('apollo', Date.now()), () => breakers.acquirePermit('apollo', DEFAULT_POLICY, Date.now())]) {
      const startedAt = Date.now();
      const outcome = await settled<unknown>(call());
      expect(outcome.error).toMatchObject({
        code: 'STORE_ERROR',
        message: expect.stringMatching(/Redis unreachable for \d+ ms .*failing at once until it is back/),
      });
      expect(Date.now() - startedAt).toBeLessThan(TIMEOUT_MS / 2);
    }

    await proxy.start();
    expect(await waitUntil(async () => (await settled(breakers.get('apollo', Date.now()))).value !== undefined, 5_000)).toBe(true);
    expect((await queues.getStates(['apollo']))[0]?.state).toBe('ACTIVE');
    await proxy.cut();
  });

  it('with failOpen, a successful call costs at most one wait during an outage, then none', async () => {
    const proxy = CuttableProxy.forUrl(redisUrl());
    await proxy.start();
    const { direct } = storesOn(proxy.url(), { failOpen: true, nearCacheMaxAgeMs: 0 });
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore: direct.breakers,
      queueStore: direct.queues,
      campaigns: new InMemoryCampaignRepository(),
      reconcileIntervalMs: 0,
    });
    await bw.breakers.execute('apollo', async () => 'warm');
    await proxy.cut();
    const durations: number[] = [];
    for (let call = 0; call < 3; call += 1) {
      const startedAt = Date.now();
      expect(await bw.breakers.execute('apollo', async () => call)).toBe(call);
      durations.push(Date.now() - startedAt);
    }
    // The first call learns it (its permit's two reads wait side by side); its outcome, and what follows, fail open at once.
    expect(durations[0]).toBeLessThan(2 * TIMEOUT_MS + 100);
    expect(durations.slice(1).every((ms) => ms < TIMEOUT_MS / 2)).toBe(true);
    await bw.close();
  });

  it('a killed connection (CLIENT KILL) costs nothing: the next call succeeds', async () => {
    const redis = connectRedis();
    const keyPrefix = randomPrefix();
    const breakers = closeLater(new RedisCircuitBreakerStore({ redis, keyPrefix }));
    await setUpStores(breakers);
    await breakers.recordFailure('apollo', {}, DEFAULT_POLICY, Date.now());
    const id = String(await redis.client('ID'));
    await connectRedis().call('CLIENT', 'KILL', 'ID', id);

    expect((await breakers.recordFailure('apollo', {}, DEFAULT_POLICY, Date.now())).record.failureCount).toBe(2);
    expect(String(await redis.client('ID'))).not.toBe(id);
  });

  it('a write that timed out for its caller but was applied later is reported to its own subscribers', async () => {
    const redis = connectRedis();
    const store = closeLater(new RedisCircuitBreakerStore({ redis, keyPrefix: randomPrefix(), operationTimeoutMs: 100 }));
    await store.ready();
    await setUpStores(store);
    const changes: BreakerChange[] = [];
    store.subscribe((change) => changes.push(change));

    // Keep the server busy for 400 ms: the trip is sent, waits its turn, and its caller gives up first.
    const busy = connectRedis().eval(
      "local t0 = redis.call('TIME') repeat local t = redis.call('TIME') until (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) >= tonumber(ARGV[1]) * 1000 return 1",
      0,
      400,
    );
    await sleep(50);
    await expect(store.trip('apollo', 'maintenance', DEFAULT_POLICY, Date.now())).rejects.toThrow('no reply from Redis within 100 ms');
    await busy;

    expect(await waitUntil(() => changes.length > 0)).toBe(true);
    expect(changes).toMatchObject([{ service: 'apollo', transition: 'opened', record: { state: 'open', latched: true } }]);
    expect((await store.get('apollo', Date.now())).state).toBe('open');
  });
});
