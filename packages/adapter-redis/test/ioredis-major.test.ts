import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { closeAll, connectRedis } from './redis-clients.js';

afterAll(closeAll);

describe('the ioredis the suites in test/ run against', () => {
  it('is ioredis 5, speaking RESP2', async () => {
    const redis = connectRedis();
    expect(redis).toBeInstanceOf(Redis);
    expect(String(await redis.call('CLIENT', 'INFO'))).toMatch(/ resp=2\b/);
  });
});
