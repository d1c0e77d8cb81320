import { Redis } from 'ioredis';
import { Redis as Redis6 } from 'ioredis6';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BreakwaterProcess } from '../breakwater-processes.js';
import { closeAll, connectRedis, randomPrefix } from '../redis-clients.js';

vi.mock('ioredis', async () => await import('ioredis6'));

afterAll(closeAll);

describe('the ioredis the suites in test/ioredis6/ run against', () => {
  it('is ioredis 6, in the test helpers too, speaking RESP3 (its default)', async () => {
    expect(Redis).toBe(Redis6);
    const redis = connectRedis();
    expect(redis).toBeInstanceOf(Redis6);
    expect(String(await redis.call('CLIENT', 'INFO'))).toMatch(/ resp=3\b/);
  });

  it('is ioredis 6 in the processes the multi-process suite starts, given IOREDIS_MODULE', async () => {
    process.env.IOREDIS_MODULE = 'ioredis6';
    const child = BreakwaterProcess.start({ keyPrefix: randomPrefix() });
    try {
      await child.ready();
      expect(await child.request({ type: 'protocol' })).toBe(3);
    } finally {
      await child.stop();
      delete process.env.IOREDIS_MODULE;
    }
  });
});
