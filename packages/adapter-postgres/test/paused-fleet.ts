/**
 * A fleet as the pause cascade leaves it, generated set-based in the database: every campaign PAUSED
 * with the cascade's message, every job PAUSED with the pause reason, services interleaved within each
 * campaign. Shared by the tests and the resume-at-scale bench (default table names).
 */
import type { Knex } from 'knex';

export const FLEET_SERVICES = ['apollo', 'perplexity', 'openai', 'instantly', 'millionverifier'] as const;
export const CAMPAIGN_PAUSED_MESSAGE = 'Paused: circuit breaker open for apollo (HTTP 503)';
export const JOB_PAUSED_ERROR = 'Circuit breaker open for apollo: HTTP 503';

export async function generatePausedFleet(knex: Knex, size: { campaigns: number; jobsPerCampaign: number }): Promise<void> {
  await knex.raw(
    `INSERT INTO campaigns (name, status, status_message)
     SELECT 'Outreach wave ' || n, 'PAUSED', ? FROM generate_series(1, ?::int) AS n`,
    [CAMPAIGN_PAUSED_MESSAGE, size.campaigns],
  );
  await knex.raw(
    `INSERT INTO jobs (campaign_id, service, status, error, payload)
     SELECT campaign.id, (?::text[])[1 + k % ?::int], 'PAUSED', ?, jsonb_build_object('lead', k)
     FROM campaigns campaign CROSS JOIN generate_series(0, ?::int - 1) AS k
     ORDER BY campaign.id, k`,
    [[...FLEET_SERVICES], FLEET_SERVICES.length, JOB_PAUSED_ERROR, size.jobsPerCampaign],
  );
  await knex.raw('ANALYZE campaigns, jobs');
}
