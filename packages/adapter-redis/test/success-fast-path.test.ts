/**
 * What the stores send to Redis, counted on the host's client (every command a store sends goes through its
 * `sendCommand`; its pub/sub subscriber has a connection of its own): a success on a clean closed breaker, a
 * permit on a closed one and the queue-state read send nothing once cached; a failure is one command (one
 * round trip). Counted on the client rather than with MONITOR, which sees every other client of a shared server.
 */
import { DEFAULT_POLICY, InMemoryCampaignRepository, createBreakwater } from '@breakwater/core';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore, RedisQueueStore } from '../src/index.js';
import { closeAll, closeLater, connectRedis, randomPrefix, setUpStores } from './redis-clients.js';

afterAll(closeAll);

/** The commands the stores send through a client while `run` runs. */
class CommandWatch {
  async commandsDuring(client: Redis, run: () => Promise<void>): Promise<string[]> {
    const sent: string[] = [];
    const original = client.sendCommand;
    client.sendCommand = function (this: Redis, ...args: Parameters<Redis['sendCommand']>) {
      sent.push(args[0].name.toLowerCase());
      return original.apply(this, args);
    };
    try {
      await run();
    } finally {
      client.sendCommand = original;
    }
    return sent;
  }
}

const watch = new CommandWatch();

describe('the success path', () => {
  it('touches no network on a cached clean closed breaker; a failure is one command, and the success after it one more', async () => {
    const redis = connectRedis();
    await redis.ping();
    // A long max age, so that no refresh falls inside the loop on a slow machine.
    const store = closeLater(new RedisCircuitBreakerStore({ redis, keyPrefix: randomPrefix(), nearCacheMaxAgeMs: 60_000 }));
    await store.ready();
    await setUpStores(store);
    await store.get('apollo', Date.now());

    const clean = await watch.commandsDuring(redis, async () => {
      for (let i = 0; i < 200; i++) {
        expect(await store.acquirePermit('apollo', DEFAULT_POLICY, Date.now())).toMatchObject({ allowed: true });
        expect(await store.recordSuccess('apollo', DEFAULT_POLICY, Date.now())).toMatchObject({
          transition: null,
          record: { state: 'closed' },
        });
        expect((await store.get('apollo', Date.now())).state).toBe('closed');
      }
    });
    expect(clean).toEqual([]);

    const failure = await watch.commandsDuring(redis, async () => {
      await store.recordFailure('apollo', { reason: 'HTTP 503' }, DEFAULT_POLICY, Date.now());
    });
    expect(failure).toEqual(['evalsha']);

    // The success after a failure has a count to zero: one write; the next ones are free again.
    const recovering = await watch.commandsDuring(redis, async () => {
      for (let i = 0; i < 3; i++) await store.recordSuccess('apollo', DEFAULT_POLICY, Date.now());
    });
    expect(recovering).toEqual(['evalsha']);
  });

  it('execute() through createBreakwater sends nothing to Redis while the breaker is closed and the queue active', async () => {
    const redis = connectRedis();
    await redis.ping();
    const keyPrefix = randomPrefix();
    const breakerStore = closeLater(new RedisCircuitBreakerStore({ redis, keyPrefix, nearCacheMaxAgeMs: 60_000 }));
    const queueStore = closeLater(new RedisQueueStore({ redis, keyPrefix, nearCacheMaxAgeMs: 60_000 }));
    await Promise.all([breakerStore.ready(), queueStore.ready()]);
    const bw = createBreakwater({ services: ['apollo'], breakerStore, queueStore, campaigns: new InMemoryCampaignRepository() });
    await bw.breakers.execute('apollo', async () => 'warm-up');

    const commands = await watch.commandsDuring(redis, async () => {
      for (let i = 0; i < 200; i++) expect(await bw.breakers.execute('apollo', async () => i)).toBe(i);
    });
    expect(commands).toEqual([]);
    await bw.close();
  });
});
