/**
 * Finds the PostgreSQL the tests run against: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
 * when it answers; otherwise a throwaway container, but only when a Docker engine answers (testcontainers
 * is imported on that path only); otherwise the run stops with a message saying what to start.
 */
import knexFactory from 'knex';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function answers(url: string): Promise<string | null> {
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

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const refusal = await answers(url);
  if (refusal === null) {
    project.provide('databaseUrl', url);
    return async () => {};
  }
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    throw new Error(
      `PostgreSQL does not answer at ${url} (${refusal}) and no Docker engine is available: start PostgreSQL or set DATABASE_URL.`,
    );
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:16-alpine').start();
  project.provide('databaseUrl', container.getConnectionUri());
  return async () => {
    await container.stop();
  };
}
