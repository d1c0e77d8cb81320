import { workerRegistryContract } from '@breakwater/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisWorkerRegistry } from '../src/index.js';
import { closeAll, connectRedis, randomPrefix } from './redis-clients.js';

const redis = connectRedis();
afterAll(closeAll);

workerRegistryContract({ describe, it, expect }, () => new RedisWorkerRegistry({ redis, keyPrefix: randomPrefix() }));

describe('RedisWorkerRegistry', () => {
  it('keeps the heartbeats where an operator finds them: HGETALL breakwater:workers', async () => {
    const keyPrefix = randomPrefix();
    const registry = new RedisWorkerRegistry({ redis, keyPrefix });
    const heartbeat = {
      workerId: 'apollo-worker-1',
      service: 'apollo',
      pid: 12,
      hostname: 'worker-host',
      concurrency: 2,
      jobsInFlight: 1,
      startedAt: 1_767_600_000_000,
      lastSeenAt: 1_767_600_005_000,
    };
    await registry.beat(heartbeat, 15_000);
    expect(JSON.parse((await redis.hget(`${keyPrefix}breakwater:workers`, 'apollo-worker-1')) ?? 'null')).toEqual(heartbeat);
    const expiresAt = Number(await redis.zscore(`${keyPrefix}breakwater:workers_expiry`, 'apollo-worker-1'));
    expect(Math.abs(expiresAt - (Date.now() + 15_000))).toBeLessThan(5_000);
  });

  it('refuses the options of the breaker and queue stores it would ignore', () => {
    const options = { redis, nearCacheMaxAgeMs: 500 } as unknown as ConstructorParameters<typeof RedisWorkerRegistry>[0];
    expect(() => new RedisWorkerRegistry(options)).toThrow(/nearCacheMaxAgeMs/);
  });
});
