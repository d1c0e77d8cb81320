import { queueStoreContract } from '@breakwater/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisQueueStore } from '../src/index.js';
import { closeAll, closeLater, connectRedis, randomPrefix } from './redis-clients.js';

const redis = connectRedis();
afterAll(closeAll);

// The lock, the last report and the state marker are one per store, so every store gets its own prefix.
const prefixes = new WeakMap<object, string>();

queueStoreContract(
  { describe, it, expect },
  async () => {
    const keyPrefix = randomPrefix();
    const store = closeLater(new RedisQueueStore({ redis, keyPrefix }));
    prefixes.set(store, keyPrefix);
    // Listening to the other instances, so its near-cache answers (localView) as in use.
    await store.ready();
    return store;
  },
  {
    localView: true,
    readRawQueueState: (store, service) => redis.hget(`${prefixes.get(store)}queue_status`, service),
    writeRawLastReport: async (store, raw) => {
      await redis.set(`${prefixes.get(store)}breakwater:last_resume_report`, raw);
    },
  },
);
