import type { Redis } from 'ioredis';
import { type RedisClient, isCluster } from './redis-client.js';

/**
 * Opens a connection of the store's own for its pub/sub subscription, with the host client's settings
 * (address, credentials, TLS; on Sentinel, the sentinels and master name), or null when there is no node
 * to connect to yet (a Cluster client that has not connected).
 *
 * On one server or Sentinel it is `duplicate()`: ioredis reconnects it, to the new master after a
 * Sentinel failover. On a Cluster, classic pub/sub messages reach every node, so one connection to any
 * node will do; it is opened on a node of the host's Cluster and not reconnected by ioredis (a node may
 * be gone for good after a failover): when it ends, the subscriber opens another on a node the Cluster
 * still knows. `duplicate()` of a Cluster would open a whole second Cluster client, and its hidden
 * subscriber connection moves between nodes without telling anyone, so the store could not know when
 * messages may have been missed.
 */
export function openSubscriberConnection(client: RedisClient, connectionName: string): Redis | null {
  const own = { autoResubscribe: false, lazyConnect: false, connectionName };
  if (!isCluster(client)) return client.duplicate(own);
  const nodes = client.nodes('all');
  const node = nodes[Math.floor(Math.random() * nodes.length)];
  return node ? node.duplicate({ ...own, retryStrategy: () => null }) : null;
}
