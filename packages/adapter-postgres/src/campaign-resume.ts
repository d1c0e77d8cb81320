/**
 * resumeQueue step 6 (docs/manual-resume.md#the-steps) for a batch of campaigns, in one statement (so one transaction): each PAUSED
 * campaign → RUNNING with the message, and the PAUSED jobs of exactly those campaigns → PENDING with
 * `error` cleared. This SQL, for many ids at once:
 *   UPDATE campaigns SET status = 'RUNNING', status_message = '…', updated_at = NOW() WHERE id IN (…)
 */
import { InvalidTransitionError, NotFoundError, type CampaignResumeOutcome } from '@breakwater/core';
import { isMalformedId } from './driver-errors.js';
import { type ResumeBatch, resumeInIsolatingBatches } from './isolating-batches.js';
import type { SqlRunner } from './pool-sql.js';
import type { SqlNames } from './schema-names.js';

interface BatchRow {
  id: string;
  /** The status before this statement. */
  status: string;
  resumed: boolean;
  jobs: number;
}

export class CampaignResume {
  readonly #sql: SqlRunner;
  readonly #batchSize: number;
  readonly #batchSql: string;

  constructor(sql: SqlRunner, names: SqlNames, batchSize: number) {
    this.#sql = sql;
    this.#batchSize = batchSize;
    const { campaigns, jobs, fences, c, j } = names;
    // `requested` and the final SELECT see the rows as they were before this statement: a campaign in
    // `requested` but not in `resumed` exists and was not PAUSED. `job.campaign_id = ANY($1)` is
    // redundant with the join, and lets the planner use the paused-by-campaign index for the batch.
    // The fence rows are read FOR SHARE: a pause of a service (a trip racing this resume) either commits
    // first, and its jobs stay PAUSED here, or waits for this statement and then pauses what it resumed.
    this.#batchSql = `WITH fence AS (
        SELECT service, paused FROM ${fences} FOR SHARE
      ), requested AS (
        SELECT campaign.${c.id} AS id, campaign.${c.status}::text AS status FROM ${campaigns} campaign WHERE campaign.${c.id} = ANY($1)
      ), resumed AS (
        UPDATE ${campaigns} campaign SET ${c.status} = 'RUNNING', ${c.statusMessage} = $2, ${c.updatedAt} = now()
        WHERE campaign.${c.id} = ANY($1) AND campaign.${c.status} = 'PAUSED'
        RETURNING campaign.${c.id} AS id
      ), resumed_jobs AS (
        UPDATE ${jobs} job SET ${j.status} = 'PENDING', ${j.error} = NULL, ${j.updatedAt} = now()
        FROM resumed
        WHERE job.${j.campaignId} = resumed.id AND job.${j.campaignId} = ANY($1) AND job.${j.status} = 'PAUSED'
          AND job.${j.service} NOT IN (SELECT service FROM fence WHERE paused)
        RETURNING job.${j.campaignId} AS campaign_id
      ), jobs_per_campaign AS (
        SELECT campaign_id AS id, count(*)::int AS jobs FROM resumed_jobs GROUP BY campaign_id
      )
      SELECT requested.id::text AS id, requested.status, resumed.id IS NOT NULL AS resumed, COALESCE(jobs_per_campaign.jobs, 0) AS jobs
      FROM requested
      LEFT JOIN resumed ON resumed.id = requested.id
      LEFT JOIN jobs_per_campaign ON jobs_per_campaign.id = requested.id`;
  }

  resume(ids: readonly string[], statusMessage: string): Promise<CampaignResumeOutcome[]> {
    const resumeBatch: ResumeBatch = async (batch) => {
      try {
        const { rows } = await this.#sql.query<BatchRow>(this.#batchSql, [batch, statusMessage]);
        const found = new Map(rows.map((row) => [row.id, row]));
        return batch.map((id) => outcomeOf(id, found.get(id)));
      } catch (error) {
        // A lone id the id column cannot even read names no campaign; otherwise let the batch split.
        const [only] = batch;
        if (batch.length === 1 && only !== undefined && isMalformedId(error)) return [outcomeOf(only, undefined)];
        throw error;
      }
    };
    return resumeInIsolatingBatches(ids, this.#batchSize, resumeBatch);
  }
}

/** What one transaction for this campaign would have reported, as the in-memory repository words it. */
function outcomeOf(id: string, row: BatchRow | undefined): CampaignResumeOutcome {
  if (row === undefined) return { id, ok: false, error: new NotFoundError('Campaign', id).message };
  if (!row.resumed) return { id, ok: false, error: new InvalidTransitionError(row.status, 'RUNNING').message };
  return { id, ok: true, jobsResumed: row.jobs };
}
