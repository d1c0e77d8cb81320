/** Both stores' contract suites on a real 6-node Redis Cluster (3 masters, 3 replicas) on loopback. */
import { randomUUID } from 'node:crypto';
import type { Cluster } from 'ioredis';
import { circuitBreakerStoreContract, queueStoreContract } from '@breakwater/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore, RedisQueueStore } from '../../src/index.js';
import { LocalRedisCluster } from './local-redis-cluster.js';

let cluster: LocalRedisCluster;
let redis: Cluster;
const stores: { close(): Promise<void> }[] = [];
const prefixes = new WeakMap<object, string>();

beforeAll(async () => {
  cluster = await LocalRedisCluster.start();
  redis = cluster.client();
});
afterAll(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await cluster?.stop();
});

/** A prefix of the store's own, hash-tagged as a Cluster needs. */
function taggedPrefix(): string {
  return `{bwtest-${randomUUID().slice(0, 8)}}:`;
}

function keep<T extends { close(): Promise<void> }>(store: T, keyPrefix: string): T {
  stores.push(store);
  prefixes.set(store, keyPrefix);
  return store;
}

describe('on a Redis Cluster', () => {
  circuitBreakerStoreContract(
    { describe, it, expect },
    () => {
      const keyPrefix = taggedPrefix();
      return keep(new RedisCircuitBreakerStore({ redis, keyPrefix }), keyPrefix);
    },
    { localView: true, readRaw: (store, service) => redis.hgetall(`${prefixes.get(store)}circuit_breaker:${service}`) },
  );

  queueStoreContract(
    { describe, it, expect },
    () => {
      const keyPrefix = taggedPrefix();
      return keep(new RedisQueueStore({ redis, keyPrefix }), keyPrefix);
    },
    { localView: true, readRawQueueState: (store, service) => redis.hget(`${prefixes.get(store)}queue_status`, service) },
  );
});
