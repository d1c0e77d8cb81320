/**
 * Breakwater as a host deploys it: the Postgres repository (its own schema, its own NOTIFY channel) and the
 * Redis breaker and queue stores (their own key prefix), one service, one RUNNING campaign owning every job.
 * The worker deletes a job as it completes it (`removeOnComplete: true`), as BullMQ's and graphile-worker's do here.
 * With the default `durableJobWrites` ('enqueues') an enqueue returns once it is on disk; a second contender,
 * "Breakwater (none)", runs with 'none', the durability BullMQ has on a Redis that persists every second.
 */
import { randomBytes } from 'node:crypto';
import { type DurableJobWrites, PostgresCampaignRepository, migrate } from '@breakwater/adapter-postgres';
import { RedisCircuitBreakerStore, RedisQueueStore } from '@breakwater/adapter-redis';
import { type Breakwater, createBreakwater } from '@breakwater/core';
import { Redis } from 'ioredis';
import knexFactory, { type Knex } from 'knex';
import { type Contender, StartSignal, countdown, sampleLatencies } from './contender.js';

const SERVICE = 'apollo';

export class BreakwaterContender implements Contender {
  readonly name: string;
  readonly #knex: Knex;
  readonly #schema: string;
  readonly #redis: Redis;
  readonly #keyPrefix: string;
  readonly #stores: { close(): Promise<void> }[];
  readonly #bw: Breakwater;
  readonly #campaignId: string;

  private constructor(parts: {
    name: string;
    knex: Knex;
    schema: string;
    redis: Redis;
    keyPrefix: string;
    stores: { close(): Promise<void> }[];
    bw: Breakwater;
    campaignId: string;
  }) {
    this.name = parts.name;
    this.#knex = parts.knex;
    this.#schema = parts.schema;
    this.#redis = parts.redis;
    this.#keyPrefix = parts.keyPrefix;
    this.#stores = parts.stores;
    this.#bw = parts.bw;
    this.#campaignId = parts.campaignId;
  }

  /** `durableJobWrites` as the repository takes it; the contender is named after a setting other than the default. */
  static async create(
    urls: { database: string; redis: string },
    poolMax: number,
    durableJobWrites?: DurableJobWrites,
  ): Promise<BreakwaterContender> {
    const suffix = randomBytes(4).toString('hex');
    const schema = `bw_peers_${suffix}`;
    const knex = knexFactory({ client: 'pg', connection: urls.database, searchPath: [schema], pool: { min: 0, max: poolMax } });
    await knex.raw('CREATE SCHEMA ??', [schema]);
    await migrate(knex);
    const redis = new Redis(urls.redis);
    const keyPrefix = `bwpeers:${suffix}:`;
    const breakerStore = new RedisCircuitBreakerStore({ redis, keyPrefix });
    const queueStore = new RedisQueueStore({ redis, keyPrefix });
    await Promise.all([breakerStore.ready(), queueStore.ready()]);
    const bw = createBreakwater({
      services: [SERVICE],
      breakerStore,
      queueStore,
      campaigns: new PostgresCampaignRepository({
        knex,
        notifyChannel: `bw_peers_${suffix}`,
        ...(durableJobWrites ? { durableJobWrites } : {}),
      }),
    });
    const campaign = await bw.campaigns.createCampaign({ name: 'benchmark', status: 'RUNNING' });
    const name = durableJobWrites ? `Breakwater (${durableJobWrites})` : 'Breakwater';
    return new BreakwaterContender({
      name,
      knex,
      schema,
      redis,
      keyPrefix,
      stores: [breakerStore, queueStore],
      bw,
      campaignId: campaign.id,
    });
  }

  async enqueue(count: number, batchSize: number): Promise<void> {
    for (let done = 0; done < count; done += batchSize) {
      const size = Math.min(batchSize, count - done);
      await this.#bw.campaigns.enqueueJobs(
        Array.from({ length: size }, (_, n) => ({ campaignId: this.#campaignId, service: SERVICE, payload: { n: done + n } })),
      );
    }
  }

  async drain(count: number, concurrency: number): Promise<void> {
    const completed = countdown(count);
    const worker = this.#bw.createWorker({ service: SERVICE, concurrency, removeOnComplete: true, handler: async () => null });
    worker.events.on('job:completed', completed.tick);
    await worker.start();
    await completed.done;
    await worker.stop();
  }

  async startLatencies(samples: number, concurrency: number): Promise<number[]> {
    const signal = new StartSignal();
    let onCompleted = () => {};
    const worker = this.#bw.createWorker({
      service: SERVICE,
      concurrency,
      removeOnComplete: true,
      handler: async () => {
        signal.started();
        return null;
      },
    });
    worker.events.on('job:completed', () => onCompleted());
    await worker.start();
    try {
      return await sampleLatencies(
        samples,
        signal,
        () => this.#bw.campaigns.enqueueJob({ campaignId: this.#campaignId, service: SERVICE, payload: { n: 0 } }),
        () => new Promise<void>((resolve) => (onCompleted = resolve)),
      );
    } finally {
      await worker.stop();
    }
  }

  async close(): Promise<void> {
    await this.#bw.close();
    await Promise.all(this.#stores.map((store) => store.close()));
    try {
      await this.#knex.raw('DROP SCHEMA ?? CASCADE', [this.#schema]);
    } finally {
      await this.#knex.destroy();
    }
    const keys = await this.#redis.keys(`${this.#keyPrefix}*`);
    if (keys.length > 0) await this.#redis.del(...keys);
    this.#redis.disconnect();
  }
}
