/**
 * The worker's side: claim jobs under a lease, then complete, fail or re-pause them while the lease
 * is still theirs. Leases are timed by the database's clock (now()), the one clock every worker shares.
 */
import type { ClaimJobsInput, CompleteJobsInput, Job } from '@breakwater/core';
import { isMalformedId } from './driver-errors.js';
import type { CommitDurability } from './commit-durability.js';
import type { SqlRunner } from './pool-sql.js';
import { claimCtes } from './claim-statement.js';
import { completionAnswers, completionBatch, completionCtes } from './completion-statement.js';
import { type JobRow, jsonParam, toJob } from './row-mapping.js';
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
    const { jobs, j } = names;
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
    this.#claimSql = `WITH ${claimCtes(names)}
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

  /** Many completions of one worker in one statement (completion-statement.ts). */
  async completeMany(input: CompleteJobsInput): Promise<boolean[]> {
    if (input.jobs.length === 0) return [];
    const remove = input.remove === true;
    const sql = `WITH ${completionCtes(this.#names, { remove, batch: '$1', worker: '$2' })}
      SELECT completed.${this.#names.j.id}::text AS id${this.#durability.progress} FROM completed`;
    try {
      const { rows } = await this.#sql.query<{ id: string }>(sql, [completionBatch(this.#names, input.jobs), input.workerId]);
      return completionAnswers(
        input.jobs,
        rows.map((row) => row.id),
      );
    } catch (error) {
      if (!isMalformedId(error)) throw error;
      // Some id the column cannot read (so held by no one): the rest, one at a time.
      const answers: boolean[] = [];
      for (const job of input.jobs) answers.push(await this.#completeOne({ ...job, workerId: input.workerId }, remove));
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
