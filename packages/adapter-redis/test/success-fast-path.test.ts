/**
 * What reaches Redis, watched with MONITOR and counted for the store's own connection: a success on a
 * clean closed breaker, a permit on a closed one and the queue-state read send nothing once cached;
 * a failure is one command (one round trip).
 */
import { DEFAULT_POLICY, InMemoryCampaignRepository, createBreakwater } from '@breakwater/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore, RedisQueueStore } from '../src/index.js';
import { closeAll, closeLater, connectRedis, randomPrefix, waitUntil, setUpStores } from './redis-clients.js';

afterAll(closeAll);

/** Every command the server receives, by the client port it came from. */
class CommandWatch {
  private readonly seen: { port: string; args: string[] }[] = [];
  private monitor: Redis | null = null;

  async start(): Promise<void> {
    this.monitor = await connectRedis().monitor();
    this.monitor.on('monitor', (_time: string, args: string[], source: string) => {
      this.seen.push({ port: source.slice(source.lastIndexOf(':') + 1), args });
    });
  }

  async stop(): Promise<void> {
    this.monitor?.disconnect();
  }

  /** The commands `client` sent while `run` ran, fenced by ECHO markers so none is missed or borrowed. */
  async commandsDuring(client: Redis, run: () => Promise<void>): Promise<string[]> {
    const port = String((client as unknown as { stream: { localPort: number } }).stream.localPort);
    const mark = async (label: string) => {
      await client.echo(label);
      expect(await waitUntil(() => this.seen.some((command) => command.port === port && command.args[1] === label))).toBe(true);
      return this.seen.findIndex((command) => command.port === port && command.args[1] === label);
    };
    const start = await mark(`start-${Math.random()}`);
    await run();
    const end = await mark(`end-${Math.random()}`);
    return this.seen
      .slice(start + 1, end)
      .filter((command) => command.port === port)
      .map((command) => command.args[0]!.toLowerCase());
  }
}

const watch = new CommandWatch();
beforeAll(() => watch.start());
afterAll(() => watch.stop());

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
