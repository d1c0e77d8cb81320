/**
 * `pruneCompletedJobs`: deletes a service's COMPLETED jobs past an age or beyond a count, oldest first and at
 * most `limit` a call. Both limits cut the service's completed jobs, ordered by (completion time, id), at one
 * point: the statement finds the later of the two cut points with index seeks (the count's walks `maxCount`
 * entries), then deletes up to it along the completed-jobs index, so a call costs what it deletes, not what is kept.
 */
import type { PruneCompletedJobsInput } from '@breakwater/core';
import type { SqlRunner } from './pool-sql.js';
import type { SqlNames } from './schema-names.js';

export class CompletedJobRetention {
  readonly #sql: SqlRunner;
  readonly #names: SqlNames;

  constructor(sql: SqlRunner, names: SqlNames) {
    this.#sql = sql;
    this.#names = names;
  }

  async prune(input: PruneCompletedJobsInput): Promise<number> {
    const { jobs, j } = this.#names;
    const params: unknown[] = [input.service, input.limit];
    const completed = `${jobs} job WHERE job.${j.service} = $1 AND job.${j.status} = 'COMPLETED'`;
    const newestFirst = `ORDER BY job.${j.updatedAt} DESC, job.${j.id} DESC`;
    // The newest job each limit deletes; the later of them is the last one to go.
    const lastToGo: string[] = [];
    if (input.maxAgeMs !== undefined) {
      params.push(input.maxAgeMs);
      lastToGo.push(`(SELECT job.${j.updatedAt} AS completed_at, job.${j.id} AS id FROM ${completed}
         AND job.${j.updatedAt} < now() - $${params.length}::double precision * interval '1 millisecond' ${newestFirst} LIMIT 1)`);
    }
    if (input.maxCount !== undefined) {
      params.push(input.maxCount);
      lastToGo.push(
        `(SELECT job.${j.updatedAt} AS completed_at, job.${j.id} AS id FROM ${completed} ${newestFirst} OFFSET $${params.length} LIMIT 1)`,
      );
    }
    if (lastToGo.length === 0) return 0;
    const { rowCount } = await this.#sql.query(
      `WITH last_to_go AS (
         SELECT completed_at, id FROM (${lastToGo.join(' UNION ALL ')}) cut ORDER BY completed_at DESC, id DESC LIMIT 1
       ), doomed AS (
         SELECT job.${j.id} AS id FROM ${completed}
           AND (job.${j.updatedAt}, job.${j.id}) <= (SELECT completed_at, id FROM last_to_go)
         ORDER BY job.${j.updatedAt}, job.${j.id} LIMIT $2
       )
       DELETE FROM ${jobs} AS job USING doomed WHERE job.${j.id} = doomed.id`,
      params,
    );
    return rowCount;
  }
}
