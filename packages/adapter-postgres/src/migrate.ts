/**
 * Creates the default schema (or the same shape under the host's names), idempotently: safe at every
 * start, and from several processes at once (they take turns on an advisory lock). The knex migrations
 * in `migrations/` run the same statements for the default names (the campaign schema, then the history).
 */
import type { Knex } from 'knex';
import { StoreError } from '@breakwater/core';
import { DEFAULT_CONNECT_TIMEOUT_MS, PoolSql } from './pool-sql.js';
import { type SchemaNamingOptions, resolveSqlNames } from './schema-names.js';
import { allSchemaStatements } from './schema-statements.js';

/** Any constant works; it only has to be the same in every process migrating this database. */
const MIGRATION_LOCK_KEY = 'breakwater:migrate';

export async function migrate(knex: Knex, options: SchemaNamingOptions = {}): Promise<void> {
  const statements = allSchemaStatements(resolveSqlNames(options));
  try {
    // Building indexes on a host's big tables takes what it takes: no statement limit, but a bounded connect.
    await new PoolSql(knex, { statementTimeoutMs: 0, connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS }).transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATION_LOCK_KEY]);
      for (const statement of statements) await tx.query(statement);
    });
  } catch (error) {
    throw new StoreError('CampaignRepository', 'migrate', error);
  }
}
