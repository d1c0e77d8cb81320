/**
 * A fresh schema per test database: `bw_<random>`, reached through knex's `searchPath`, so the
 * repository runs on unqualified default names exactly as in a host's database, and nothing one
 * test writes is seen by another. `drop()` removes the schema and closes the pool.
 */
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { inject } from 'vitest';
import { type SchemaNamingOptions, migrate } from '../src/index.js';

export interface TestDatabase {
  knex: Knex;
  schema: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Names to migrate with, or false for an empty schema. Default: the default schema. */
  migrate?: SchemaNamingOptions | false;
  poolMax?: number;
}

export function databaseUrl(): string {
  return inject('databaseUrl');
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const schema = `bw_${randomBytes(6).toString('hex')}`;
  const knex = knexFactory({ client: 'pg', connection: databaseUrl(), searchPath: [schema], pool: { min: 0, max: options.poolMax ?? 10 } });
  await knex.raw('CREATE SCHEMA ??', [schema]);
  if (options.migrate !== false) await migrate(knex, options.migrate ?? {});
  return {
    knex,
    schema,
    drop: async () => {
      try {
        await knex.raw('DROP SCHEMA ?? CASCADE', [schema]);
      } finally {
        await knex.destroy();
      }
    },
  };
}

/** Databases made during a test, dropped after it (register `dropAll` in afterEach). */
export class TestDatabases {
  readonly #open: TestDatabase[] = [];

  async create(options?: TestDatabaseOptions): Promise<TestDatabase> {
    const database = await createTestDatabase(options);
    this.#open.push(database);
    return database;
  }

  async dropAll(): Promise<void> {
    const open = this.#open.splice(0);
    await Promise.all(open.map((database) => database.drop()));
  }
}
