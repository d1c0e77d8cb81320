/**
 * Checks a host's existing tables against the mapping before anything runs on them, so a missing or
 * mistyped column is reported with the table and the mapping key that name it, not as PostgreSQL's
 * bare `column "lease_expires_at" does not exist` from the middle of a statement.
 */
import { InvalidOptionsError } from '@breakwater/core';
import {
  CAMPAIGN_COLUMN_REQUIREMENTS,
  type ColumnRequirement,
  JOB_COLUMN_REQUIREMENTS,
  describeRequirement,
} from './column-requirements.js';
import type { SqlRunner } from './pool-sql.js';
import type { SqlNames } from './schema-names.js';

interface CatalogColumn {
  name: string;
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}

/** A table's columns, or null when it does not exist (resolved like the repository's statements: search path included). */
async function columnsOf(sql: SqlRunner, quotedTable: string): Promise<Map<string, CatalogColumn> | null> {
  const { rows } = await sql.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [quotedTable]);
  if (!rows[0]?.exists) return null;
  const columns = await sql.query<CatalogColumn>(
    `SELECT attname AS name, format_type(atttypid, NULL) AS type, attnotnull AS "notNull", (atthasdef OR attidentity <> '') AS "hasDefault"
     FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
    [quotedTable],
  );
  return new Map(columns.rows.map((column) => [column.name, column]));
}

function problemsWith(
  columns: Map<string, CatalogColumn>,
  mapping: Record<string, string>,
  requirements: Record<string, ColumnRequirement>,
  where: { table: string; tableKey: string; columnsKey: string },
): string[] {
  const problems: string[] = [];
  for (const [key, requirement] of Object.entries(requirements)) {
    const name = mapping[key] ?? key;
    const column = columns.get(name);
    const subject = `table "${where.table}" (${where.tableKey}), key ${where.columnsKey}.${key}`;
    const needs = `it must be ${describeRequirement(requirement)}`;
    if (!column) {
      problems.push(
        `${subject}: column "${name}" does not exist; add it (${describeRequirement(requirement)}) or map ${key} to another column`,
      );
    } else if (!requirement.types.includes(column.type)) {
      problems.push(`${subject}: column "${name}" is ${column.type}; ${needs}`);
    } else if (requirement.nullable && column.notNull) {
      problems.push(`${subject}: column "${name}" is NOT NULL, but Breakwater stores NULL there; ${needs}`);
    } else if (requirement.defaulted && column.notNull && !column.hasDefault) {
      problems.push(`${subject}: column "${name}" is NOT NULL without a DEFAULT, but Breakwater inserts rows without it; ${needs}`);
    }
  }
  return problems;
}

/**
 * Throws `InvalidOptionsError` listing every mapped column of the campaigns and jobs tables that is
 * missing or unusable, each line naming the table and the mapping key. A table that does not exist
 * passes when `mustExist` is false (migrate is about to create it).
 */
export async function checkMappedTables(sql: SqlRunner, names: SqlNames, options: { mustExist: boolean }): Promise<void> {
  const problems: string[] = [];
  const missing = (table: string, key: string) =>
    `table "${table}" (${key}) does not exist; run migrate() to create it, or map ${key} to your table`;
  const campaigns = await columnsOf(sql, names.campaigns);
  if (!campaigns && options.mustExist) problems.push(missing(names.given.tables.campaigns, 'tables.campaigns'));
  if (campaigns) {
    const where = { table: names.given.tables.campaigns, tableKey: 'tables.campaigns', columnsKey: 'columns.campaigns' };
    problems.push(...problemsWith(campaigns, { ...names.given.campaigns }, CAMPAIGN_COLUMN_REQUIREMENTS, where));
  }
  const jobs = await columnsOf(sql, names.jobs);
  if (!jobs && options.mustExist) problems.push(missing(names.given.tables.jobs, 'tables.jobs'));
  if (jobs) {
    const where = { table: names.given.tables.jobs, tableKey: 'tables.jobs', columnsKey: 'columns.jobs' };
    problems.push(...problemsWith(jobs, { ...names.given.jobs }, JOB_COLUMN_REQUIREMENTS, where));
  }
  if (problems.length > 0) {
    throw new InvalidOptionsError(
      `The tables do not fit Breakwater's mapping (options "tables" and "columns"):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
}
