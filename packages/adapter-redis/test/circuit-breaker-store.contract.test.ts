import { circuitBreakerStoreContract } from '@breakwater/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore } from '../src/index.js';
import { closeAll, closeLater, connectRedis, randomPrefix } from './redis-clients.js';

const redis = connectRedis();
afterAll(closeAll);

// The suite wants every store over state of its own that was never set up: a fresh prefix each.
const prefixes = new WeakMap<object, string>();

circuitBreakerStoreContract(
  { describe, it, expect },
  async () => {
    const keyPrefix = randomPrefix();
    const store = closeLater(new RedisCircuitBreakerStore({ redis, keyPrefix }));
    prefixes.set(store, keyPrefix);
    // Listening to the other instances, so its near-cache answers (localView) as in use.
    await store.ready();
    return store;
  },
  { localView: true, readRaw: (store, service) => redis.hgetall(`${prefixes.get(store)}circuit_breaker:${service}`) },
);
