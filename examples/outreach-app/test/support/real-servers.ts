/**
 * The PostgreSQL and Redis the real-store test runs against: DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test) and REDIS_URL (default redis://127.0.0.1:6379) when
 * they answer; otherwise throwaway containers, but only when a Docker engine answers
 * (testcontainers is imported on that path only); otherwise an error saying what to start.
 */
import { Redis } from 'ioredis';
import knexFactory from 'knex';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface RealServers {
  databaseUrl: string;
  redisUrl: string;
  /** Stops any container started here. */
  stop(): Promise<void>;
}

async function postgresRefusal(url: string): Promise<string | null> {
  const knex = knexFactory({
    client: 'pg',
    connection: { connectionString: url, connectionTimeoutMillis: 2_000 },
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 3_000,
  });
  try {
    await knex.raw('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await knex.destroy();
  }
}

async function redisRefusal(url: string): Promise<string | null> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  let cause: unknown = null;
  client.on('error', (error) => {
    cause = error;
  });
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    const reason = cause ?? error;
    return reason instanceof Error ? reason.message : String(reason);
  } finally {
    client.disconnect();
  }
}

async function dockerAnswers(): Promise<boolean> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export async function realServers(): Promise<RealServers> {
  const stops: Array<() => Promise<unknown>> = [];
  let databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  let redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const [pgRefusal, rRefusal] = await Promise.all([postgresRefusal(databaseUrl), redisRefusal(redisUrl)]);
  if ((pgRefusal || rRefusal) && !(await dockerAnswers())) {
    const missing = [
      pgRefusal ? `PostgreSQL does not answer at ${databaseUrl} (${pgRefusal}): start it or set DATABASE_URL` : null,
      rRefusal ? `Redis does not answer at ${redisUrl} (${rRefusal}): start it or set REDIS_URL` : null,
    ].filter(Boolean);
    throw new Error(`${missing.join('; ')}. No Docker engine is available for a throwaway container either.`);
  }
  if (pgRefusal) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    stops.push(() => container.stop());
    databaseUrl = container.getConnectionUri();
  }
  if (rRefusal) {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer('redis:7-alpine').start();
    stops.push(() => container.stop());
    redisUrl = container.getConnectionUrl();
  }
  return { databaseUrl, redisUrl, stop: async () => void (await Promise.all(stops.map((stop) => stop()))) };
}
