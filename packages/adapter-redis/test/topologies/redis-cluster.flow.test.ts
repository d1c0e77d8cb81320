/**
 * Breakwater on a real 6-node Redis Cluster on loopback: the prefix rule, the whole trip → reset →
 * resume flow across two "processes" with a worker, the connections the stores open, a subscriber
 * connection lost, and a master killed under an open breaker.
 */
import { randomUUID } from 'node:crypto';
import { InMemoryCampaignRepository, PrerequisitesNotMetError } from '@breakwater/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore, RedisQueueStore } from '../../src/index.js';
import { SERVICES, SimulatedService, type TopologyProcess, seedCampaigns, startProcess } from './breakwater-on-topology.js';
import { CLUSTER_NODE_TIMEOUT_MS, LocalRedisCluster } from './local-redis-cluster.js';
import { sleep, until } from './local-redis-server.js';

let cluster: LocalRedisCluster;
const processes: TopologyProcess[] = [];

beforeAll(async () => {
  cluster = await LocalRedisCluster.start();
});
afterEach(async () => {
  await Promise.all(processes.splice(0).map((process) => process.close()));
});
afterAll(async () => {
  await cluster?.stop();
});

function taggedPrefix(): string {
  return `{bw-${randomUUID().slice(0, 8)}}:`;
}

/** A Breakwater process with a Cluster client of its own (named, so its connections can be counted). */
async function processOnCluster(keyPrefix: string, campaigns: InMemoryCampaignRepository, name: string): Promise<TopologyProcess> {
  const redis = cluster.client({ redisOptions: { connectionName: name } });
  const started = await startProcess({ redis, keyPrefix }, campaigns);
  processes.push(started);
  return started;
}

describe('Redis Cluster: the key prefix', () => {
  it('refuses a prefix without a hash tag, saying what to pass; a tagged prefix works', async () => {
    const redis = cluster.client();
    expect(() => new RedisQueueStore({ redis })).toThrow(
      `RedisQueueStore on a Redis Cluster needs a "keyPrefix" with a hash tag, so that all its keys are in one slot: pass keyPrefix: '{bw}:' (got no prefix)`,
    );
    expect(() => new RedisCircuitBreakerStore({ redis, keyPrefix: 'myapp:' })).toThrow("pass keyPrefix: '{myapp}:' (got 'myapp:')");
    expect(() => new RedisQueueStore({ redis, keyPrefix: '{}bw:' })).toThrow("pass keyPrefix: '{bw}:'");
    // What the refusal spares the host: the queue's keys would sit in different slots, and its scripts fail.
    await expect(redis.eval('return 1', 3, 'queue_status', 'queue_status_reason', 'queue_status_updated_at')).rejects.toThrow(/CROSSSLOT/);

    const store = new RedisQueueStore({ redis, keyPrefix: 'app:{bw}:' });
    try {
      expect(await store.initialize({ services: ['apollo'], paused: [] })).toBe(true);
      expect(await store.pause('apollo', 'why')).toBe(true);
      expect(await redis.hgetall('app:{bw}:queue_status')).toEqual({ apollo: 'PAUSED' });
    } finally {
      await store.close();
      await redis.del(
        'app:{bw}:queue_status',
        'app:{bw}:queue_status_reason',
        'app:{bw}:queue_status_updated_at',
        'app:{bw}:breakwater:queue_state',
      );
    }
  });
});

describe('Redis Cluster: the flow', () => {
  it('two processes: a worker trips apollo, the cascade pauses, reset resumes nothing, resumeQueue resumes and the worker finishes', async () => {
    const keyPrefix = taggedPrefix();
    const campaigns = new InMemoryCampaignRepository();
    await seedCampaigns(campaigns);
    const operator = await processOnCluster(keyPrefix, campaigns, 'operator-process');
    const workers = await processOnCluster(keyPrefix, campaigns, 'worker-process');
    const apollo = new SimulatedService('Apollo');
    apollo.down = true;
    const running = SERVICES.map((service) =>
      workers.bw.createWorker({
        service,
        pollIntervalMs: 50,
        backoff: () => 10,
        maxAttempts: 10,
        handler: () => (service === 'apollo' ? apollo.call() : Promise.resolve({ ok: true })),
      }),
    );
    await Promise.all(running.map((worker) => worker.start()));
    try {
      // The worker's failures open apollo's breaker; its cascade pauses the queue, the jobs and the campaigns.
      await until('apollo to trip and its campaigns to pause', async () => (await campaigns.countCampaignsByStatus()).PAUSED === 3);
      const redis = cluster.client();
      expect(await redis.hgetall(`${keyPrefix}circuit_breaker:apollo`)).toMatchObject({ state: 'open', trip_count: '1' });
      expect(await redis.hget(`${keyPrefix}queue_status`, 'apollo')).toBe('PAUSED');
      expect((await campaigns.countJobsByStatus({ service: 'apollo' })).FAILED).toBe(0);
      // The other process heard it over the Cluster's pub/sub.
      await until('the operator process to hear the trip', () =>
        operator.events.some((event) => event.name === 'breaker:opened' && event.remote === true),
      );
      expect(await operator.bw.breakers.shouldAllowRequest('apollo')).toEqual({ allowed: false, reason: 'open' });

      await expect(operator.bw.resumeQueue()).rejects.toThrow('Cannot resume queue: Circuit breakers still open for: apollo (open)');
      apollo.down = false;
      await operator.bw.breakers.reset('apollo');
      await sleep(200);
      expect((await campaigns.countCampaignsByStatus()).PAUSED).toBe(3);
      expect(await redis.hget(`${keyPrefix}queue_status`, 'apollo')).toBe('PAUSED');

      const report = await operator.bw.resumeQueue({ requestedBy: 'operator' });
      expect(report).toMatchObject({ queueResumed: true, campaignsResumed: 3, servicesResumed: SERVICES });
      await until('the worker process to finish every job', async () => (await campaigns.countJobsByStatus()).COMPLETED === 12);
      expect(await campaigns.countJobsByStatus()).toMatchObject({ COMPLETED: 12, FAILED: 0, PAUSED: 0, PENDING: 0 });
      await until('the worker process to hear the resume completed', () =>
        workers.events.some((event) => event.name === 'resume:completed' && event.remote === true),
      );
      expect(await redis.hgetall(`${keyPrefix}queue_status`)).toEqual({ apollo: 'ACTIVE', perplexity: 'ACTIVE' });
      expect(await redis.hgetall(`${keyPrefix}circuit_breaker:apollo`)).toMatchObject({ state: 'closed', failure_count: '0' });

      // What each process opened: one subscriber connection per store, plus its Cluster client's own
      // (one per node it sent commands to: at most the 3 masters).
      const names = (await Promise.all(cluster.nodes.map((node) => node.connectionNames()))).flat();
      for (const process of [operator, workers]) {
        expect(
          names.filter((name) => name.endsWith(process.breakerStore.instanceId) || name.endsWith(process.queueStore.instanceId)),
        ).toHaveLength(2);
      }
      for (const host of ['operator-process', 'worker-process']) {
        expect(names.filter((name) => name === host).length).toBeGreaterThanOrEqual(1);
        expect(names.filter((name) => name === host).length).toBeLessThanOrEqual(3);
      }
    } finally {
      await Promise.all(running.map((worker) => worker.stop()));
    }
  });

  it('a subscriber connection killed on its node is replaced (on any node), and changes are heard again', async () => {
    const keyPrefix = taggedPrefix();
    const campaigns = new InMemoryCampaignRepository();
    const [listener, writer] = [await processOnCluster(keyPrefix, campaigns, 'a'), await processOnCluster(keyPrefix, campaigns, 'b')];
    const subscriberName = `breakwater:circuit_breaker_changes:${listener.breakerStore.instanceId}`;
    const home = await subscriberNode(subscriberName);
    expect(await home.killConnectionsNamed(subscriberName)).toBe(1);
    await until('the subscriber to be back on a node', async () => (await subscriberNode(subscriberName).catch(() => null)) !== null);
    await listener.breakerStore.ready();

    await writer.bw.breakers.trip('apollo', 'maintenance');
    await until('the trip to be heard', () => listener.events.some((event) => event.name === 'breaker:opened' && event.remote === true));
  });
});

describe('Redis Cluster: a master fails', () => {
  it('killed under an open breaker: its replica takes over, the breaker is still open, operations recover', async () => {
    const keyPrefix = taggedPrefix();
    const campaigns = new InMemoryCampaignRepository();
    const [a, b] = [await processOnCluster(keyPrefix, campaigns, 'a'), await processOnCluster(keyPrefix, campaigns, 'b')];
    await a.bw.breakers.trip('apollo', 'maintenance');
    const breakerKey = `${keyPrefix}circuit_breaker:apollo`;
    const master = await cluster.masterOf(breakerKey);
    const [replica] = await cluster.replicasOf(master);
    // Replication is asynchronous: the test kills the master once the replica has the trip (a failover
    // that loses the last writes is the Sentinel test's subject).
    await until('the replica to have the trip', async () => (await replica!.readOnly('HGET', breakerKey, 'state')) === 'open');

    const killedAt = Date.now();
    await master.crash();
    await until('the replica to be promoted', async () =>
      ((await replica!.command('INFO', 'replication')) as string).includes('role:master'),
    );
    const promotedMs = Date.now() - killedAt;
    // A store that never saw the breaker (no near-cache): what it reads comes from the new master.
    const fresh = new RedisCircuitBreakerStore({ redis: cluster.client(), keyPrefix, nearCacheMaxAgeMs: 0 });
    try {
      let record = null;
      await until(
        'a read through the stores to succeed',
        async () => {
          record = await fresh.get('apollo', Date.now());
          return true;
        },
        20_000,
      );
      const recoveredMs = Date.now() - killedAt;
      expect(record).toMatchObject({ state: 'open', latched: true, lastFailureReason: 'maintenance' });
      expect(await a.bw.breakers.shouldAllowRequest('apollo')).toEqual({ allowed: false, reason: 'open' });
      expect(await b.bw.breakers.shouldAllowRequest('apollo')).toEqual({ allowed: false, reason: 'open' });
      await expect(b.bw.resumeQueue()).rejects.toBeInstanceOf(PrerequisitesNotMetError);

      // Writes and announcements work again: a reset in one process is heard by the other.
      await until('a reset to go through', async () => (await b.bw.breakers.reset('apollo')).state === 'closed', 20_000);
      await until('the reset to be heard', () => a.events.some((event) => event.name === 'breaker:reset' && event.remote === true));
      expect(await a.bw.resumeQueue()).toMatchObject({ queueResumed: true });
      const writableMs = Date.now() - killedAt;
      console.info(
        `Cluster failover (node timeout ${CLUSTER_NODE_TIMEOUT_MS} ms): replica promoted after ${promotedMs} ms, ` +
          `reads back after ${recoveredMs} ms, a reset and a resume through after ${writableMs} ms`,
      );
      expect(promotedMs).toBeLessThan(10_000);
    } finally {
      await fresh.close();
    }
  });
});

/** The node a connection of this name is open on. */
async function subscriberNode(name: string) {
  for (const node of cluster.nodes.filter((candidate) => candidate.running)) {
    if ((await node.connectionNames()).includes(name)) return node;
  }
  throw new Error(`no node has a connection named ${name}`);
}
