import { circuitBreakerStoreContract } from '@breakwater/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore } from '../src/index.js';
import { closeAll, closeLater, connectRedis, randomPrefix } from './redis-clients.js';

const redis = connectRedis();
const prefix = randomPrefix();
afterAll(closeAll);

circuitBreakerStoreContract({ describe, it, expect }, () => closeLater(new RedisCircuitBreakerStore({ redis, keyPrefix: prefix })), {
  readRaw: (_store, service) => redis.hgetall(`${prefix}circuit_breaker:${service}`),
});
