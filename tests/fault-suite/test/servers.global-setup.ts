/**
 * What the fault suite needs before it starts: a PostgreSQL that answers (DATABASE_URL, default the local
 * server; the suite puts its own proxy in front of it and never stops it) and the redis-server binary (the
 * suite runs Redis servers of its own, never the shared one). Without either, it stops with what to install.
 */
import { spawnSync } from 'node:child_process';
import knexFactory from 'knex';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const knex = knexFactory({
    client: 'pg',
    connection: { connectionString: url, connectionTimeoutMillis: 2_000 },
    pool: { min: 0, max: 1 },
  });
  try {
    await knex.raw('SELECT 1');
  } catch (error) {
    throw new Error(
      `The fault suite needs PostgreSQL at ${url} (${error instanceof Error ? error.message : String(error)}): start it or set DATABASE_URL.`,
    );
  } finally {
    await knex.destroy();
  }
  const redis = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (redis.status !== 0)
    throw new Error('The fault suite runs Redis servers of its own: install redis-server (Debian: apt-get install -y redis-server).');
  project.provide('databaseUrl', url);
}
