import type { Cluster, Redis } from 'ioredis';

/**
 * What the stores run on: the host's ioredis client, a single server (`Redis`, also when it reaches the
 * master through Sentinel) or a Redis Cluster (`Cluster`).
 */
export type RedisClient = Redis | Cluster;

/**
 * Whether the host's client is an ioredis Cluster. Read from ioredis' own `isCluster` flag rather than
 * `instanceof`, which fails when the host's ioredis is another installed copy than the adapter's.
 */
export function isCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: unknown }).isCluster === true;
}
