/**
 * A store's subscriber connection that ends for good (ioredis gave up on it: here the host's client, and
 * so its duplicate, has a retryStrategy that never reconnects) is replaced by a new one, and the store
 * hears other instances' changes again.
 */
import { type BreakerChange, DEFAULT_POLICY } from '@breakwater/core';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore } from '../src/index.js';
import { clientIdsNamed, closeAll, closeLater, connectRedis, randomPrefix, waitUntil, setUpStores } from './redis-clients.js';

afterAll(closeAll);

describe('the subscriber connection', () => {
  it('is replaced when it ends for good, and changes are heard again', async () => {
    const keyPrefix = randomPrefix();
    const listener = closeLater(new RedisCircuitBreakerStore({ redis: connectRedis({ retryStrategy: () => null }), keyPrefix }));
    await listener.ready();
    const heard: BreakerChange[] = [];
    listener.subscribe((change) => heard.push(change));

    const admin = connectRedis();
    const name = `breakwater:circuit_breaker_changes:${listener.instanceId}`;
    const [first] = await clientIdsNamed(admin, name);
    await admin.call('CLIENT', 'KILL', 'ID', first!);
    expect(
      await waitUntil(async () => {
        const ids = await clientIdsNamed(admin, name);
        return ids.length === 1 && ids[0] !== first;
      }, 5_000),
    ).toBe(true);
    await listener.ready();

    const writer = closeLater(new RedisCircuitBreakerStore({ redis: connectRedis(), keyPrefix }));
    await setUpStores(writer);
    await writer.trip('apollo', 'maintenance', DEFAULT_POLICY, Date.now());
    expect(await waitUntil(() => heard.length > 0)).toBe(true);
    expect(heard).toMatchObject([{ service: 'apollo', transition: 'opened' }]);
  });
});
