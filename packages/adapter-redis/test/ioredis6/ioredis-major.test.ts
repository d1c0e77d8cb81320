import { Redis } from 'ioredis';
import { Redis as Redis6 } from 'ioredis6';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { closeAll, connectRedis } from '../redis-clients.js';

vi.mock('ioredis', async () => await import('ioredis6'));

afterAll(closeAll);

describe('the ioredis the suites in test/ioredis6/ run against', () => {
  it('is ioredis 6, in the test helpers too, speaking RESP3 (its default)', async () => {
    expect(Redis).toBe(Redis6);
    const redis = connectRedis();
    expect(redis).toBeInstanceOf(Redis6);
    expect(String(await redis.call('CLIENT', 'INFO'))).toMatch(/ resp=3\b/);
  });
});
