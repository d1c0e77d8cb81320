/**
 * The claim, as common table expressions that end in `claimed` (the jobs taken, with `claim_order`): the plain
 * claim (job-leases.ts) selects from it, and so does the claim that also records completions (complete-and-claim.ts).
 * Parameters: $1 the service, $2 the worker, $3 the limit, $4 the lease in ms.
 *
 * The fence row FOR SHARE first (a one-time filter, evaluated before any job is looked at), then PENDING jobs that
 * are due and PROCESSING jobs whose lease expired, skipping rows other workers are claiming, only for RUNNING
 * campaigns. The campaign is checked by a scalar subquery per candidate, not a join: the planner then always walks
 * the service's partial index in id order and stops at the limit. As a join, its plan follows the statistics, which
 * a mass pause or resume leaves stale until the next ANALYZE, and a claim then sorted every job of every running
 * campaign (half a second at a million jobs). The EXISTS answers at once when no campaign runs at all, the usual
 * state after a breaker trip.
 */
import { jobSelectList } from './row-mapping.js';
import type { SqlNames } from './schema-names.js';

/**
 * `notAmong`: an SQL array of job ids the claim must leave alone (the jobs the same statement completes: one
 * statement must not both delete a row and lock it for update).
 */
export function claimCtes(names: SqlNames, options: { notAmong?: string } = {}): string {
  const { campaigns, jobs, c, j } = names;
  const claimable = (status: string) => `job.${j.service} = $1 AND job.${j.status} = '${status}'
          AND NOT COALESCE((SELECT paused FROM fence), false)
          AND EXISTS (SELECT 1 FROM ${campaigns} running WHERE running.${c.status} = 'RUNNING')
          AND (SELECT campaign.${c.status} FROM ${campaigns} campaign WHERE campaign.${c.id} = job.${j.campaignId}) = 'RUNNING'`;
  const leftAlone = options.notAmong === undefined ? '' : ` AND job.${j.id} <> ALL (${options.notAmong})`;
  return `fence AS (
        SELECT paused FROM ${names.fences} WHERE service = $1 FOR SHARE
      ), due AS (
        SELECT job.${j.id} AS id FROM ${jobs} job
        WHERE ${claimable('PENDING')} AND job.${j.availableAt} <= now()
        ORDER BY job.${j.id} LIMIT $3 FOR UPDATE OF job SKIP LOCKED
      ), expired AS (
        SELECT job.${j.id} AS id FROM ${jobs} job
        WHERE ${claimable('PROCESSING')} AND job.${j.leaseExpiresAt} <= now()${leftAlone}
        ORDER BY job.${j.leaseExpiresAt} LIMIT $3 FOR UPDATE OF job SKIP LOCKED
      ), chosen AS (
        SELECT id FROM (SELECT id FROM due UNION ALL SELECT id FROM expired) candidates ORDER BY id LIMIT $3
      ), claimed AS (
        UPDATE ${jobs} job SET ${j.status} = 'PROCESSING', ${j.leaseOwner} = $2,
          ${j.leaseExpiresAt} = now() + $4::double precision * interval '1 millisecond',
          ${j.attempts} = job.${j.attempts} + 1, ${j.updatedAt} = now()
        FROM chosen WHERE job.${j.id} = chosen.id
        RETURNING job.${j.id} AS claim_order, ${jobSelectList(names, 'job')}
      )`;
}
