/**
 * A startup check for hosts that manage the schema themselves (their own migrations) instead of
 * calling `migrate`: the tables exist, every mapped column fits, and rows whose status Breakwater
 * does not know are reported. It changes nothing.
 */
import type { Knex } from 'knex';
import { CAMPAIGN_STATUSES, JOB_STATUSES, StoreError, isBreakwaterError, type UnrecognizedStatus } from '@breakwater/core';
import { DEFAULT_CONNECT_TIMEOUT_MS, PoolSql, type SqlRunner } from './pool-sql.js';
import { checkMappedTables } from './schema-check.js';
import { type SchemaNamingOptions, type SqlNames, resolveSqlNames } from './schema-names.js';
import { countUnrecognizedStatuses, describeUnrecognized } from './unrecognized-statuses.js';

/** Where warnings go: pino-compatible (`warn(fields, message)`); the default is `console.warn`. */
export interface WarningLogger {
  warn(fields: Record<string, unknown>, message?: string): void;
}

export interface SchemaReportOptions extends SchemaNamingOptions {
  logger?: WarningLogger;
}

export interface SchemaReport {
  /** Rows Breakwater leaves alone because their status is none of its own; also in `status()`. */
  unrecognizedStatuses: UnrecognizedStatus[];
}

const consoleWarnings: WarningLogger = { warn: (_fields, message) => console.warn(message) };

export async function verifySchema(knex: Knex, options: SchemaReportOptions = {}): Promise<SchemaReport> {
  const names = resolveSqlNames(options);
  const sql = new PoolSql(knex, { statementTimeoutMs: 0, connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS });
  try {
    await checkMappedTables(sql, names, { mustExist: true });
    return await reportUnrecognizedStatuses(sql, names, options.logger);
  } catch (error) {
    throw isBreakwaterError(error) ? error : new StoreError('CampaignRepository', 'verifySchema', error);
  }
}

/** Counts the rows with statuses Breakwater does not know, and warns about them, one line per table. */
export async function reportUnrecognizedStatuses(
  sql: SqlRunner,
  names: SqlNames,
  logger: WarningLogger = consoleWarnings,
): Promise<SchemaReport> {
  const unrecognizedStatuses = await countUnrecognizedStatuses(sql, names);
  const tables = [
    { entity: 'campaign', table: names.given.tables.campaigns, known: CAMPAIGN_STATUSES },
    { entity: 'job', table: names.given.tables.jobs, known: JOB_STATUSES },
  ] as const;
  for (const { entity, table, known } of tables) {
    const found = unrecognizedStatuses.filter((row) => row.entity === entity);
    if (found.length === 0) continue;
    logger.warn(
      { table, unrecognizedStatuses: found },
      `Breakwater leaves alone the rows of table "${table}" whose status is not one of ${known.join(', ')}: ` +
        `${describeUnrecognized(found)}. They are never paused, resumed or counted; update them to one of those values.`,
    );
  }
  return { unrecognizedStatuses };
}
