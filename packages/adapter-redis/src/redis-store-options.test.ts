import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { resolveRedisStoreOptions } from './redis-store-options.js';

const redis = { duplicate: () => redis, options: {} } as unknown as Redis;

describe('resolveRedisStoreOptions', () => {
  it('fills in the defaults: no prefix, 2000 ms operations, a 1000 ms near-cache, fail closed', () => {
    expect(resolveRedisStoreOptions('RedisQueueStore', { redis })).toEqual({
      redis,
      keyPrefix: '',
      operationTimeoutMs: 2000,
      nearCacheMaxAgeMs: 1000,
      failOpen: false,
    });
  });

  it('names the option that is missing or wrong', () => {
    expect(() => resolveRedisStoreOptions('RedisQueueStore', {} as never)).toThrow('Missing required option "redis" (an ioredis client)');
    expect(() => resolveRedisStoreOptions('RedisQueueStore', { redis, keyPrefix: 3 as never })).toThrow(
      'Option "keyPrefix" must be a string',
    );
    expect(() => resolveRedisStoreOptions('RedisQueueStore', { redis, operationTimeoutMs: 0 })).toThrow(
      'Option "operationTimeoutMs" must be a number of ms, at least 1',
    );
    expect(() => resolveRedisStoreOptions('RedisQueueStore', { redis, nearCacheMaxAgeMs: -1 })).toThrow(
      'Option "nearCacheMaxAgeMs" must be a number of ms, at least 0',
    );
    expect(() => resolveRedisStoreOptions('RedisQueueStore', { redis, failOpen: 'yes' as never })).toThrow(
      'Option "failOpen" must be a boolean',
    );
  });

  it('refuses an unknown option, naming the one meant, and a URL where a client belongs', () => {
    expect(() => resolveRedisStoreOptions('RedisQueueStore', { redis, prefix: 'bw:' } as never)).toThrow(
      'Unknown option "prefix" for RedisQueueStore (did you mean "keyPrefix"?)',
    );
    expect(() => resolveRedisStoreOptions('RedisCircuitBreakerStore', { redis: 'redis://:s3cret@cache.internal:6379/2' } as never)).toThrow(
      `Invalid option "redis": a URL was given; pass an ioredis client built from it (new Redis('redis://:***@cache.internal:6379/2')), which the host owns and closes`,
    );
  });
});
