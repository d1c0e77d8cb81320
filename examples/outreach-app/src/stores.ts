/**
 * Builds the stores Breakwater runs on from the config: in-memory by default (one process, nothing to
 * install), PostgreSQL for campaigns, jobs and the history when DATABASE_URL is set, Redis for breakers,
 * queue states, the resume lock and the workers' heartbeats when REDIS_URL is set. The app owns the
 * clients (adapters take a client, never a URL) and closes them in `close()`.
 */
import { PostgresCampaignRepository, PostgresHistoryStore, migrate } from '@breakwater/adapter-postgres';
import { RedisCircuitBreakerStore, RedisQueueStore, RedisWorkerRegistry } from '@breakwater/adapter-redis';
import {
  type CampaignRepository,
  type CircuitBreakerStore,
  type HistoryStore,
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryHistoryStore,
  InMemoryQueueStore,
  InMemoryWorkerRegistry,
  type Logger,
  type QueueStore,
  StoreError,
  type WorkerRegistry,
} from '@breakwater/core';
import { Redis } from 'ioredis';
import knexFactory, { type Knex } from 'knex';
import { type AppConfig, redactUrl } from './config.js';

export interface Stores {
  breakerStore: CircuitBreakerStore;
  queueStore: QueueStore;
  campaigns: CampaignRepository;
  /** What happened (breaker transitions, pauses, resumes), shared by every process. */
  history: HistoryStore;
  /** The workers' heartbeats, shared by every process. */
  workers: WorkerRegistry;
  /** Where each kind of state lives, for the start-up banner. */
  description: { campaigns: string; breakers: string };
  close(): Promise<void>;
}

/** A store's server did not answer at start; the message names it and its (password-masked) URL. */
export class StoreConnectionError extends StoreError {
  constructor(server: string, url: string, cause: unknown) {
    super(server, 'connect', cause);
    this.message = `Could not connect to ${server} at ${redactUrl(url)}: ${cause instanceof Error ? cause.message : String(cause)}`;
  }
}

const CONNECT_TIMEOUT_MS = 5000;

export type StoreConfig = Pick<AppConfig, 'databaseUrl' | 'databaseSchema' | 'redisUrl' | 'redisKeyPrefix'>;

export async function buildStores(config: StoreConfig, logger: Logger): Promise<Stores> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    // Last opened, first closed (a store before its client); one failing close does not keep the others open.
    let failure: unknown = null;
    for (const closeOne of closers.splice(0).reverse()) {
      try {
        await closeOne();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== null) throw failure;
  };
  try {
    const postgres = config.databaseUrl ? await postgresStores(config.databaseUrl, config.databaseSchema, logger, closers) : null;
    const redis = config.redisUrl ? await connectRedis(config.redisUrl, logger, closers) : null;
    const prefix = config.redisKeyPrefix;
    const redisStores = redis ? await redisStateStores(redis, prefix, closers) : null;
    return {
      breakerStore: redisStores?.breakerStore ?? new InMemoryCircuitBreakerStore(),
      queueStore: redisStores?.queueStore ?? new InMemoryQueueStore(),
      campaigns: postgres?.campaigns ?? new InMemoryCampaignRepository(),
      history: postgres?.history ?? new InMemoryHistoryStore(),
      workers: redis ? new RedisWorkerRegistry({ redis, keyPrefix: prefix }) : new InMemoryWorkerRegistry(),
      description: {
        campaigns: config.databaseUrl
          ? `PostgreSQL ${redactUrl(config.databaseUrl)}${config.databaseSchema ? ` (schema ${config.databaseSchema})` : ''}`
          : 'in memory (set DATABASE_URL for PostgreSQL)',
        breakers: config.redisUrl
          ? `Redis ${redactUrl(config.redisUrl)}${prefix ? ` (key prefix "${prefix}")` : ''}`
          : 'in memory (set REDIS_URL for Redis)',
      },
      close,
    };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

async function postgresStores(
  url: string,
  schema: string | null,
  logger: Logger,
  closers: Array<() => Promise<void>>,
): Promise<{ campaigns: CampaignRepository; history: HistoryStore }> {
  const knex: Knex = knexFactory({
    client: 'pg',
    connection: { connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS },
    pool: { min: 0, max: 10 },
    // knex writes to the console by default; its messages go where the app's do.
    log: {
      warn: (message: unknown) => logger.warn(`knex: ${String(message)}`),
      error: (message: unknown) => logger.error(`knex: ${String(message)}`),
      deprecate: (message: unknown) => logger.warn(`knex: ${String(message)}`),
      debug: (message: unknown) => logger.debug(`knex: ${String(message)}`),
    },
    ...(schema ? { searchPath: [schema] } : {}),
  });
  closers.push(() => knex.destroy());
  try {
    await knex.raw('select 1');
  } catch (error) {
    throw new StoreConnectionError('PostgreSQL', url, error);
  }
  // The search path names the schema on every connection; it has to exist before the tables go in it.
  if (schema) await knex.raw('create schema if not exists ??', [schema]);
  await migrate(knex);
  return { campaigns: new PostgresCampaignRepository({ knex }), history: new PostgresHistoryStore({ knex }) };
}

/** Each store has its own subscriber connection (other processes' changes), closed before the client. */
async function redisStateStores(redis: Redis, keyPrefix: string, closers: Array<() => Promise<void>>) {
  const breakerStore = new RedisCircuitBreakerStore({ redis, keyPrefix });
  const queueStore = new RedisQueueStore({ redis, keyPrefix });
  closers.push(
    () => breakerStore.close(),
    () => queueStore.close(),
  );
  // Listening before serving: from here on a trip or resume by another process is heard at once.
  await Promise.all([breakerStore.ready(), queueStore.ready()]);
  return { breakerStore, queueStore };
}

async function connectRedis(url: string, logger: Logger, closers: Array<() => Promise<void>>): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 3 });
  closers.push(async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  // A failed connect rejects with "Connection is closed."; the 'error' event carries the real cause.
  let connectError: unknown = null;
  const onConnectError = (error: Error) => {
    connectError = error;
  };
  redis.on('error', onConnectError);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new StoreConnectionError('Redis', url, connectError ?? error);
  }
  redis.off('error', onConnectError);
  // ioredis reconnects by itself; while it cannot, the stores' calls fail (through Breakwater, with StoreError).
  redis.on('error', (error: Error) => logger.warn({ err: error }, `Redis connection error: ${error.message}`));
  return redis;
}
