/**
 * Creates the default schema (or the same shape under the host's names), idempotently: safe at every
 * start, and from several processes at once (they take turns on an advisory lock). The knex migrations
 * in `migrations/` run the same statements for the default names (the campaign schema, then the history).
 *
 * On tables that already exist it first checks the mapped columns (a mismatch throws, naming the
 * table and the mapping key, before anything is created), and afterwards reports rows whose status
 * Breakwater does not know.
 */
import type { Knex } from 'knex';
import { StoreError, isBreakwaterError } from '@breakwater/core';
import { DEFAULT_CONNECT_TIMEOUT_MS, PoolSql } from './pool-sql.js';
import { checkMappedTables } from './schema-check.js';
import { resolveSqlNames } from './schema-names.js';
import { allSchemaStatements } from './schema-statements.js';
import { type SchemaReport, type SchemaReportOptions, reportUnrecognizedStatuses } from './verify-schema.js';

/** Any constant works; it only has to be the same in every process migrating this database. */
const MIGRATION_LOCK_KEY = 'breakwater:migrate';

export async function migrate(knex: Knex, options: SchemaReportOptions = {}): Promise<SchemaReport> {
  const names = resolveSqlNames(options);
  const statements = allSchemaStatements(names);
  // Building indexes on a host's big tables takes what it takes: no statement limit, but a bounded connect.
  const sql = new PoolSql(knex, { statementTimeoutMs: 0, connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS });
  try {
    // Before the transaction: a mismatch is the host's to fix, not a failure of the connection.
    await checkMappedTables(sql, names, { mustExist: false });
    await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATION_LOCK_KEY]);
      for (const statement of statements) await tx.query(statement);
    });
    return await reportUnrecognizedStatuses(sql, names, options.logger);
  } catch (error) {
    throw isBreakwaterError(error) ? error : new StoreError('CampaignRepository', 'migrate', error);
  }
}
