/**
 * A worker's completions and its next claim in one statement (`completeAndClaimJobs`): what a worker finished goes
 * with the claim that refills its slots, so a worker whose jobs are short makes one round trip per batch where it
 * made two, and PostgreSQL plans, runs and commits one statement instead of two. The statement is the completion's
 * common table expressions (completion-statement.ts) followed by the claim's (claim-statement.ts), unchanged: the
 * claim reads the fence FOR SHARE as it always does. Every part of one statement sees the same snapshot, so the
 * claim is told to leave the batch's jobs alone (one of them with an expired lease would otherwise be both deleted
 * and locked for update by the same statement).
 *
 * One row comes back even when nothing is claimed: the completed ids ride on the first row only (parsing them once).
 */
import type { CompleteAndClaimJobsInput, CompleteAndClaimJobsResult } from '@breakwater/core';
import { claimCtes } from './claim-statement.js';
import type { CommitDurability } from './commit-durability.js';
import { completionAnswers, completionBatch, completionCtes, doneIds } from './completion-statement.js';
import { isMalformedId } from './driver-errors.js';
import type { JobLeases } from './job-leases.js';
import type { SqlRunner } from './pool-sql.js';
import { type JobRow, toJob } from './row-mapping.js';
import type { SqlNames } from './schema-names.js';
import type { ServiceFences } from './service-fences.js';

type Row = JobRow & { completedIds: string[] | null };

export class CompleteAndClaim {
  readonly #sql: SqlRunner;
  readonly #names: SqlNames;
  readonly #fences: ServiceFences;
  readonly #leases: JobLeases;
  /** By `remove`: the statement that deletes the completed jobs, and the one that keeps them COMPLETED. */
  readonly #statements: Record<'remove' | 'keep', string>;

  constructor(sql: SqlRunner, names: SqlNames, fences: ServiceFences, durability: CommitDurability, leases: JobLeases) {
    this.#sql = sql;
    this.#names = names;
    this.#fences = fences;
    this.#leases = leases;
    const { j } = names;
    // $1–$4 as the claim's; $5 the completions.
    const statement = (remove: boolean) => `WITH ${completionCtes(names, { remove, batch: '$5', worker: '$2' })},
      ${claimCtes(names, { notAmong: doneIds(names) })}
      SELECT CASE WHEN row_number() OVER (ORDER BY claimed.claim_order) = 1 THEN finished.ids END AS "completedIds",
             claimed.*${durability.progress}
      FROM (SELECT array_agg(completed.${j.id}::text) AS ids FROM completed) finished LEFT JOIN claimed ON true
      ORDER BY claimed.claim_order`;
    this.#statements = { remove: statement(true), keep: statement(false) };
  }

  async run(input: CompleteAndClaimJobsInput): Promise<CompleteAndClaimJobsResult> {
    const { completions, remove, ...claim } = input;
    const complete = { workerId: claim.workerId, jobs: completions, ...(remove ? { remove } : {}) };
    if (completions.length === 0) return { completed: [], claimed: await this.#leases.claim(claim) };
    if (claim.limit <= 0) return { completed: await this.#leases.completeMany(complete), claimed: [] };
    await this.#fences.ensure(claim.service);
    let rows: Row[];
    try {
      ({ rows } = await this.#sql.query<Row>(this.#statements[remove === true ? 'remove' : 'keep'], [
        claim.service,
        claim.workerId,
        claim.limit,
        claim.leaseMs,
        completionBatch(this.#names, completions),
      ]));
    } catch (error) {
      if (!isMalformedId(error)) throw error;
      // Some id the column cannot read (so held by no one, and nothing was written): the two steps one after the other.
      const completed = await this.#leases.completeMany(complete);
      return { completed, claimed: await this.#leases.claim(claim) };
    }
    return {
      completed: completionAnswers(completions, rows[0]?.completedIds ?? []),
      // The one row of a claim that took nothing has no job in it.
      claimed: rows.filter((row) => row.id !== null).map(toJob),
    };
  }
}
