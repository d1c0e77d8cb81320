/**
 * One world for a fault test: a Redis server of its own (killable), the shared Postgres behind a proxy of
 * its own (cuttable, black-holable) in a schema of its own, and as many Breakwater instances over them as
 * the test wants, each with its own connections, as separate processes would have.
 */
import { PostgresCampaignRepository } from '@breakwater/adapter-postgres';
import { RedisCircuitBreakerStore, RedisQueueStore } from '@breakwater/adapter-redis';
import { type Breakwater, type BreakwaterOptions, createBreakwater } from '@breakwater/core';
import { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { FaultyProxy } from './faulty-proxy.js';
import { OwnRedisServer } from './own-redis-server.js';
import { PostgresSchema } from './postgres-schema.js';

export const SERVICES = ['apollo', 'perplexity', 'openai', 'instantly', 'millionverifier'] as const;

export interface InstanceOptions
  extends Partial<Pick<BreakwaterOptions, 'reconcileIntervalMs' | 'resumeStallTimeoutMs' | 'resumeLockTtlMs' | 'policy' | 'logger'>> {
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export interface Instance {
  bw: Breakwater;
  redis: Redis;
  knex: Knex;
  close(): Promise<void>;
}

export class FaultWorld {
  readonly #instances = new Set<Instance>();

  private constructor(
    readonly redisServer: OwnRedisServer,
    readonly postgresProxy: FaultyProxy,
    readonly schema: PostgresSchema,
  ) {}

  static async create(databaseUrl: string): Promise<FaultWorld> {
    const url = new URL(databaseUrl);
    const [redisServer, schema] = await Promise.all([OwnRedisServer.start(), PostgresSchema.create(databaseUrl)]);
    const postgresProxy = await FaultyProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    return new FaultWorld(redisServer, postgresProxy, schema);
  }

  /** The rows as they are, read directly (not through the proxy, not through Breakwater). */
  get db(): Knex {
    return this.schema.direct;
  }

  /** A Breakwater instance with connections of its own (Redis directly, Postgres through the proxy). */
  async instance(options: InstanceOptions = {}): Promise<Instance> {
    const { statementTimeoutMs, connectTimeoutMs, ...breakwaterOptions } = options;
    const redis = new Redis(this.redisServer.url, { maxRetriesPerRequest: 1 });
    redis.on('error', () => {});
    const knex = this.schema.connectThrough(this.postgresProxy.port);
    const breakerStore = new RedisCircuitBreakerStore({ redis, operationTimeoutMs: 1_000 });
    const queueStore = new RedisQueueStore({ redis, operationTimeoutMs: 1_000 });
    const campaigns = new PostgresCampaignRepository({
      knex,
      statementTimeoutMs: statementTimeoutMs ?? 5_000,
      connectTimeoutMs: connectTimeoutMs ?? 2_000,
      resumeBatchSize: 20,
      jobResumeChunkSize: 200,
    });
    const bw = createBreakwater({
      services: SERVICES,
      breakerStore,
      queueStore,
      campaigns,
      policy: { failureThreshold: 3, resetTimeoutMs: 60_000 },
      reconcileIntervalMs: 200,
      ...breakwaterOptions,
    });
    const instance: Instance = {
      bw,
      redis,
      knex,
      close: async () => {
        this.#instances.delete(instance);
        await bw.close();
        await Promise.all([breakerStore.close(), queueStore.close()]);
        redis.disconnect();
        await knex.destroy();
      },
    };
    this.#instances.add(instance);
    return instance;
  }

  /** `campaigns` RUNNING campaigns, each with `jobsPerService` PENDING jobs on every service. */
  async seed(size: { campaigns: number; jobsPerService: number }): Promise<void> {
    await this.db.raw(`INSERT INTO campaigns (name, status) SELECT 'Outreach wave ' || n, 'RUNNING' FROM generate_series(1, ?::int) AS n`, [
      size.campaigns,
    ]);
    await this.db.raw(
      `INSERT INTO jobs (campaign_id, service, status, payload)
       SELECT campaign.id, service, 'PENDING', jsonb_build_object('lead', k)
       FROM campaigns campaign CROSS JOIN unnest(?::text[]) AS service CROSS JOIN generate_series(1, ?::int) AS k`,
      [[...SERVICES], size.jobsPerService],
    );
  }

  async rows(): Promise<Rows> {
    const campaigns = await this.db.raw(`SELECT status, count(*)::int AS n FROM campaigns GROUP BY status`);
    const jobs = await this.db.raw(`SELECT service, status, count(*)::int AS n FROM jobs GROUP BY service, status`);
    const fences = await this.db.raw(`SELECT service FROM breakwater_service_fences WHERE paused ORDER BY service`);
    const rows: Rows = { campaigns: {}, jobs: {}, fenced: fences.rows.map((row: { service: string }) => row.service), totalJobs: 0 };
    for (const { status, n } of campaigns.rows as { status: string; n: number }[]) rows.campaigns[status] = n;
    for (const { service, status, n } of jobs.rows as { service: string; status: string; n: number }[]) {
      (rows.jobs[service] ??= {})[status] = n;
      rows.totalJobs += n;
    }
    return rows;
  }

  async close(): Promise<void> {
    // Healed first: a connection still waiting in a black hole would hold its pool's shutdown.
    await this.postgresProxy.restore();
    await Promise.all([...this.#instances].map((instance) => instance.close()));
    await Promise.all([this.postgresProxy.stop(), this.redisServer.stop()]);
    await this.schema.drop();
  }
}

export interface Rows {
  campaigns: Record<string, number>;
  /** service → status → count */
  jobs: Record<string, Record<string, number>>;
  /** Services whose fence is up. */
  fenced: string[];
  totalJobs: number;
}
