/**
 * Test databases behind PgBouncer: a fresh schema per repository, created and dropped on a direct
 * connection, and used through PgBouncer with schema-qualified table names. knex's `searchPath` is a
 * session setting (a `SET` when a connection opens), which transaction pooling does not keep: see
 * session-state.pgbouncer.test.ts.
 */
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { type SchemaNamingOptions, migrate } from '../../src/index.js';
import { databaseUrl } from '../database.js';
import type { LocalPgBouncer } from './local-pgbouncer.js';

export interface SchemaBehindPgBouncer {
  schema: string;
  /** The qualified table names to hand the repository and migrate. */
  names: SchemaNamingOptions & { tables: { campaigns: string; jobs: string; fences: string } };
}

export class SchemasBehindPgBouncer {
  /** The host's pool, through PgBouncer. */
  readonly pooled: Knex;
  /** Straight to PostgreSQL: for DDL of the test's own, and the repository's LISTEN connection. */
  readonly direct: Knex;
  readonly #schemas: string[] = [];

  constructor(bouncer: LocalPgBouncer, poolMax = 10) {
    this.pooled = knexFactory({ client: 'pg', connection: bouncer.url(), pool: { min: 0, max: poolMax } });
    this.direct = knexFactory({ client: 'pg', connection: databaseUrl(), pool: { min: 0, max: 2 } });
  }

  /** A fresh schema, migrated through PgBouncer. */
  async create(): Promise<SchemaBehindPgBouncer> {
    const schema = `bw_pgb_${randomBytes(6).toString('hex')}`;
    await this.direct.raw('CREATE SCHEMA ??', [schema]);
    this.#schemas.push(schema);
    const names = {
      tables: { campaigns: `${schema}.campaigns`, jobs: `${schema}.jobs`, fences: `${schema}.breakwater_service_fences` },
    };
    await migrate(this.pooled, names);
    return { schema, names };
  }

  async dropAll(): Promise<void> {
    for (const schema of this.#schemas.splice(0)) await this.direct.raw('DROP SCHEMA ?? CASCADE', [schema]);
  }

  async destroy(): Promise<void> {
    await this.dropAll();
    await Promise.all([this.pooled.destroy(), this.direct.destroy()]);
  }
}
