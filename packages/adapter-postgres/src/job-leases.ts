/**
 * The worker's side: claim jobs under a lease, then complete, fail or re-pause them while the lease
 * is still theirs. Leases are timed by the database's clock (now()), the one clock every worker shares.
 */
import type { ClaimJobsInput, CompleteJobsInput, Job } from '@breakwater/core';
import { isMalformedId } from './driver-errors.js';
import type { CommitDurability } from './commit-durability.js';
import type { SqlRunner } from './pool-sql.js';
import { type JobRow, jobSelectList, jsonParam, toJob } from './row-mapping.js';
import type { SqlNames } from './schema-names.js';
import type { ServiceFences } from './service-fences.js';

export class JobLeases {
  readonly #sql: SqlRunner;
  readonly #names: SqlNames;
  readonly #fences: ServiceFences;
  readonly #durability: CommitDurability;
  readonly #claimSql: string;
  /** `WHERE` for a job this worker still holds: $1 the job, $2 the worker. */
  readonly #held: string;
  /** `SET` fragment ending a lease. */
  readonly #noLease: string;
  /** A CTE reading the fence of the job $1's service; the status and error of a job waiting behind it. */
  readonly #heldFence: string;
  readonly #waitingStatus: string;
  readonly #waitingError: (error: string) => string;

  constructor(sql: SqlRunner, names: SqlNames, fences: ServiceFences, durability: CommitDurability) {
    this.#sql = sql;
    this.#names = names;
    this.#fences = fences;
    this.#durability = durability;
    const { campaigns, jobs, c, j } = names;
    this.#held = `${j.id} = $1 AND ${j.status} = 'PROCESSING' AND ${j.leaseOwner} = $2`;
    this.#noLease = `${j.leaseOwner} = NULL, ${j.leaseExpiresAt} = NULL, ${j.updatedAt} = now()`;
    // A job leaving its worker while its service is paused waits for the resume as PAUSED with the pause reason:
    // the pause could not take it while it was PROCESSING, and a resume moves only PAUSED jobs. The fence row is
    // read FOR SHARE (as a claim does), so a pause in progress is waited for and then seen.
    this.#heldFence = `fence AS (
        SELECT paused, reason FROM ${names.fences} WHERE service = (SELECT ${j.service} FROM ${jobs} WHERE ${j.id} = $1) FOR SHARE
      )`;
    this.#waitingStatus = `CASE WHEN COALESCE((SELECT paused FROM fence), false) THEN 'PAUSED' ELSE 'PENDING' END`;
    this.#waitingError = (error: string) =>
      `CASE WHEN COALESCE((SELECT paused FROM fence), false) THEN (SELECT reason FROM fence) ELSE ${error} END`;
    // One statement: the fence row FOR SHARE first (a one-time filter, evaluated before any job is
    // looked at), then PENDING jobs that are due and PROCESSING jobs whose lease expired, skipping rows
    // other workers are claiming, only for RUNNING campaigns.
    // The campaign is checked by a scalar subquery per candidate, not a join: the planner then always
    // walks the service's partial index in id order and stops at the limit. As a join, its plan follows
    // the statistics, which a mass pause or resume leaves stale until the next ANALYZE, and a claim
    // then sorted every job of every running campaign (half a second at a million jobs). The EXISTS
    // answers at once when no campaign runs at all, the usual state after a breaker trip.
    const claimable = (status: string) => `job.${j.service} = $1 AND job.${j.status} = '${status}'
          AND NOT COALESCE((SELECT paused FROM fence), false)
          AND EXISTS (SELECT 1 FROM ${campaigns} running WHERE running.${c.status} = 'RUNNING')
          AND (SELECT campaign.${c.status} FROM ${campaigns} campaign WHERE campaign.${c.id} = job.${j.campaignId}) = 'RUNNING'`;
    this.#claimSql = `WITH fence AS (
        SELECT paused FROM ${names.fences} WHERE service = $1 FOR SHARE
      ), due AS (
        SELECT job.${j.id} AS id FROM ${jobs} job
        WHERE ${claimable('PENDING')} AND job.${j.availableAt} <= now()
        ORDER BY job.${j.id} LIMIT $3 FOR UPDATE OF job SKIP LOCKED
      ), expired AS (
        SELECT job.${j.id} AS id FROM ${jobs} job
        WHERE ${claimable('PROCESSING')} AND job.${j.leaseExpiresAt} <= now()
        ORDER BY job.${j.leaseExpiresAt} LIMIT $3 FOR UPDATE OF job SKIP LOCKED
      ), chosen AS (
        SELECT id FROM (SELECT id FROM due UNION ALL SELECT id FROM expired) candidates ORDER BY id LIMIT $3
      ), claimed AS (
        UPDATE ${jobs} job SET ${j.status} = 'PROCESSING', ${j.leaseOwner} = $2,
          ${j.leaseExpiresAt} = now() + $4::double precision * interval '1 millisecond',
          ${j.attempts} = job.${j.attempts} + 1, ${j.updatedAt} = now()
        FROM chosen WHERE job.${j.id} = chosen.id
        RETURNING job.${j.id} AS claim_order, ${jobSelectList(names, 'job')}
      )
      SELECT *${durability.progress} FROM claimed ORDER BY claim_order`;
  }

  async claim(input: ClaimJobsInput): Promise<Job[]> {
    if (input.limit <= 0) return [];
    await this.#fences.ensure(input.service);
    const { rows } = await this.#sql.query<JobRow>(this.#claimSql, [input.service, input.workerId, input.limit, input.leaseMs]);
    return rows.map(toJob);
  }

  complete(input: { jobId: string; workerId: string; result: unknown }): Promise<boolean> {
    const { jobs, j } = this.#names;
    return this.#update(
      `UPDATE ${jobs} SET ${j.status} = 'COMPLETED', ${j.result} = $3, ${j.error} = NULL, ${this.#noLease} WHERE ${this.#held}`,
      [input.jobId, input.workerId, jsonParam(input.result)],
    );
  }

  /**
   * Many completions of one worker in one statement: the batch travels as one JSON array read as rows of the
   * jobs table's own type (`json_populate_recordset`), so ids and results arrive in their columns' types.
   * Each worker only ever locks rows it holds, so batches of different workers cannot deadlock.
   * The jobs are found by primary key (`id = ANY` of the batch's ids), never through the PROCESSING index: every
   * claim leaves an entry there that only VACUUM removes, a bitmap scan does not skip the dead ones, and the planner
   * (which takes the batch for 100 rows and the index for small) chose that index, so a completion walked every job
   * claimed since the last VACUUM (2 ms for 10 jobs after 60,000 claims, and growing). The status is therefore
   * compared with IS NOT DISTINCT FROM, which no partial index matches (the column is NOT NULL: the same test).
   */
  async completeMany(input: CompleteJobsInput): Promise<boolean[]> {
    if (input.jobs.length === 0) return [];
    const { jobs, j, jBare } = this.#names;
    const batch = JSON.stringify(input.jobs.map((job) => ({ [jBare.id]: job.jobId, [jBare.result]: job.result ?? null })));
    const done = `WITH done AS MATERIALIZED (SELECT * FROM json_populate_recordset(NULL::${jobs}, $1::json))`;
    const held = `job.${j.id} = ANY (ARRAY(SELECT done.${j.id} FROM done)) AND job.${j.status} IS NOT DISTINCT FROM 'PROCESSING' AND job.${j.leaseOwner} = $2`;
    const sql = input.remove
      ? `${done} DELETE FROM ${jobs} AS job WHERE ${held} RETURNING job.${j.id}::text AS id${this.#durability.progress}`
      : `${done} UPDATE ${jobs} AS job SET ${j.status} = 'COMPLETED', ${j.result} = done.${j.result}, ${j.error} = NULL,
           ${j.leaseOwner} = NULL, ${j.leaseExpiresAt} = NULL, ${j.updatedAt} = now()
         FROM done WHERE job.${j.id} = done.${j.id} AND ${held} RETURNING job.${j.id}::text AS id${this.#durability.progress}`;
    try {
      const { rows } = await this.#sql.query<{ id: string }>(sql, [batch, input.workerId]);
      const completed = new Set(rows.map((row) => row.id));
      return input.jobs.map((job) => completed.has(job.jobId));
    } catch (error) {
      if (!isMalformedId(error)) throw error;
      // Some id the column cannot read (so held by no one): the rest, one at a time.
      const answers: boolean[] = [];
      for (const job of input.jobs) answers.push(await this.#completeOne({ ...job, workerId: input.workerId }, input.remove === true));
      return answers;
    }
  }

  #completeOne(input: { jobId: string; workerId: string; result: unknown }, remove: boolean): Promise<boolean> {
    if (!remove) return this.complete(input);
    return this.#update(`DELETE FROM ${this.#names.jobs} WHERE ${this.#held}`, [input.jobId, input.workerId]);
  }

  fail(input: { jobId: string; workerId: string; error: string; retryInMs: number | null }): Promise<boolean> {
    const { jobs, j } = this.#names;
    if (input.retryInMs === null) {
      return this.#update(`UPDATE ${jobs} SET ${j.status} = 'FAILED', ${j.error} = $3, ${this.#noLease} WHERE ${this.#held}`, [
        input.jobId,
        input.workerId,
        input.error,
      ]);
    }
    // The error stays visible while the job waits for its retry (or, its service paused, for the resume).
    return this.#update(
      `WITH ${this.#heldFence}
       UPDATE ${jobs} SET ${j.status} = ${this.#waitingStatus}, ${j.error} = ${this.#waitingError('$3')},
       ${j.availableAt} = now() + $4::double precision * interval '1 millisecond', ${this.#noLease} WHERE ${this.#held}`,
      [input.jobId, input.workerId, input.error, input.retryInMs],
    );
  }

  /** The breaker refused the call, so the attempt never reached the service: it is given back. */
  repause(input: { jobId: string; workerId: string; reason: string }): Promise<boolean> {
    const { jobs, j } = this.#names;
    return this.#update(
      `UPDATE ${jobs} SET ${j.status} = 'PAUSED', ${j.error} = $3, ${j.attempts} = GREATEST(${j.attempts} - 1, 0), ${this.#noLease} WHERE ${this.#held}`,
      [input.jobId, input.workerId, input.reason],
    );
  }

  /** The job never reached the service (its worker stopped, or could not ask the breaker): the attempt is given back. */
  release(input: { jobId: string; workerId: string; retryInMs: number }): Promise<boolean> {
    const { jobs, j } = this.#names;
    return this.#update(
      `WITH ${this.#heldFence}
       UPDATE ${jobs} SET ${j.status} = ${this.#waitingStatus}, ${j.error} = ${this.#waitingError(j.error)},
       ${j.attempts} = GREATEST(${j.attempts} - 1, 0),
       ${j.availableAt} = now() + $3::double precision * interval '1 millisecond', ${this.#noLease} WHERE ${this.#held}`,
      [input.jobId, input.workerId, input.retryInMs],
    );
  }

  async releaseExpired(input: { service?: string }): Promise<number> {
    const { jobs, fences, j } = this.#names;
    const scoped = input.service === undefined ? '' : `AND job.${j.service} = $1`;
    // Every raised fence FOR SHARE (a handful of rows): a pause in progress is waited for, then seen.
    const { rowCount } = await this.#sql.query(
      `WITH raised AS (SELECT service, reason FROM ${fences} WHERE paused FOR SHARE)
       UPDATE ${jobs} AS job SET
         ${j.status} = CASE WHEN job.${j.service} IN (SELECT service FROM raised) THEN 'PAUSED' ELSE 'PENDING' END,
         ${j.error} = COALESCE((SELECT reason FROM raised WHERE raised.service = job.${j.service}), job.${j.error}),
         ${this.#noLease}
       WHERE job.${j.status} = 'PROCESSING' AND job.${j.leaseExpiresAt} <= now() ${scoped}${this.#durability.returningProgress()}`,
      input.service === undefined ? [] : [input.service],
    );
    return rowCount;
  }

  /** An UPDATE of one held job, committed as `durableJobWrites` says. */
  async #update(sql: string, params: readonly unknown[]): Promise<boolean> {
    try {
      const { rowCount } = await this.#sql.query(`${sql}${this.#durability.returningProgress()}`, params);
      return rowCount === 1;
    } catch (error) {
      // No job has an id the column cannot read: nothing was held.
      if (isMalformedId(error)) return false;
      throw error;
    }
  }
}
