/**
 * Rows whose status is none of Breakwater's (`running`, `ACTIVE`, NULL), which a host's own table
 * without a CHECK constraint can hold. Breakwater never pauses, resumes or counts them, so they are
 * reported (by `migrate`/`verifySchema` and in `status()`) rather than silently left out.
 */
import { CAMPAIGN_STATUSES, JOB_STATUSES, type UnrecognizedStatus } from '@breakwater/core';
import type { SqlRunner } from './pool-sql.js';
import type { SqlNames } from './schema-names.js';

/** Core's constants, never input, as an SQL list. */
function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(', ');
}

export async function countUnrecognizedStatuses(sql: SqlRunner, names: SqlNames): Promise<UnrecognizedStatus[]> {
  const { campaigns, jobs, c, j } = names;
  const { rows } = await sql.query<UnrecognizedStatus>(
    `SELECT 'campaign' AS entity, ${c.status}::text AS status, count(*)::int AS count FROM ${campaigns}
     WHERE ${c.status} IS NULL OR ${c.status}::text NOT IN (${sqlList(CAMPAIGN_STATUSES)}) GROUP BY 2
     UNION ALL
     SELECT 'job' AS entity, ${j.status}::text AS status, count(*)::int AS count FROM ${jobs}
     WHERE ${j.status} IS NULL OR ${j.status}::text NOT IN (${sqlList(JOB_STATUSES)}) GROUP BY 2
     ORDER BY 1, 2`,
  );
  return rows;
}

/** `3 campaigns with status "running", 1 job with status NULL` */
export function describeUnrecognized(unrecognized: readonly UnrecognizedStatus[]): string {
  return unrecognized
    .map(
      ({ entity, status, count }) => `${count} ${entity}${count === 1 ? '' : 's'} with status ${status === null ? 'NULL' : `"${status}"`}`,
    )
    .join(', ');
}
