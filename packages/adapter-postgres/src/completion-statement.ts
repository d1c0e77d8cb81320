/**
 * A worker's batched completions, as common table expressions: `done`, the batch (one JSON array read as rows of the
 * jobs table's own type with `json_populate_recordset`, so ids and results arrive in their columns' types), and
 * `completed`, the jobs it held, COMPLETED with their results or deleted (`remove`), returning their ids. The plain
 * completion (job-leases.ts) selects from it, and so does the claim that also records completions (complete-and-claim.ts).
 * Each worker only ever locks rows it holds, so batches of different workers cannot deadlock.
 *
 * The jobs are found by primary key (`id = ANY` of the batch's ids), never through the PROCESSING index: every
 * claim leaves an entry there that only VACUUM removes, a bitmap scan does not skip the dead ones, and the planner
 * (which takes the batch for 100 rows and the index for small) chose that index, so a completion walked every job
 * claimed since the last VACUUM (2 ms for 10 jobs after 60,000 claims, and growing). The status is therefore
 * compared with IS NOT DISTINCT FROM, which no partial index matches (the column is NOT NULL: the same test).
 */
import type { JobCompletion } from '@breakwater/core';
import type { SqlNames } from './schema-names.js';

/** `batch` and `worker`: the placeholders of the batch (`completionBatch`'s JSON) and the worker's id. */
export function completionCtes(names: SqlNames, options: { remove: boolean; batch: string; worker: string }): string {
  const { jobs, j } = names;
  const held = `job.${j.id} = ANY (${doneIds(names)}) AND job.${j.status} IS NOT DISTINCT FROM 'PROCESSING' AND job.${j.leaseOwner} = ${options.worker}`;
  const write = options.remove
    ? `DELETE FROM ${jobs} AS job WHERE ${held} RETURNING job.${j.id}`
    : `UPDATE ${jobs} AS job SET ${j.status} = 'COMPLETED', ${j.result} = done.${j.result}, ${j.error} = NULL,
           ${j.leaseOwner} = NULL, ${j.leaseExpiresAt} = NULL, ${j.updatedAt} = now()
         FROM done WHERE job.${j.id} = done.${j.id} AND ${held} RETURNING job.${j.id}`;
  return `done AS MATERIALIZED (SELECT * FROM json_populate_recordset(NULL::${jobs}, ${options.batch}::json)),
      completed AS (${write})`;
}

/** The batch's ids, as an SQL array (what the claim beside a completion must leave alone). */
export function doneIds(names: SqlNames): string {
  return `ARRAY(SELECT done.${names.j.id} FROM done)`;
}

/** The parameter `done` reads: the completions as rows of the jobs table (id and result columns). */
export function completionBatch(names: SqlNames, completions: readonly JobCompletion[]): string {
  const { jBare } = names;
  return JSON.stringify(completions.map((job) => ({ [jBare.id]: job.jobId, [jBare.result]: job.result ?? null })));
}

/** The answers, in the batch's order: whether each job was held (and so completed). */
export function completionAnswers(completions: readonly JobCompletion[], completedIds: Iterable<string>): boolean[] {
  const completed = new Set(completedIds);
  return completions.map((job) => completed.has(job.jobId));
}
