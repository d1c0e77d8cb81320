/**
 * The default schema as DDL, for any table and column names. Every statement is idempotent
 * (`IF NOT EXISTS`), so `migrate()` can run at every start. The knex migration file in
 * `migrations/` holds these statements for the default names, word for word (a test checks it).
 *
 * Each index serves one query the orchestrator, the cascade or the worker runs; the partial ones
 * stay small because only the rows in that status are in them.
 */
import { CAMPAIGN_STATUSES, JOB_STATUSES } from '@breakwater/core';
import { type SqlNames, quoteIdentifier } from './schema-names.js';

function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(', ');
}

export function schemaStatements(names: SqlNames): string[] {
  const { c, j, bare } = names;
  const name = (suffix: string, table: string) => quoteIdentifier(`${table}_${suffix}`);
  const timestamps = (created: string, updated: string) =>
    `  ${created} timestamptz NOT NULL DEFAULT now(),\n  ${updated} timestamptz NOT NULL DEFAULT now()`;
  return [
    `CREATE TABLE IF NOT EXISTS ${names.campaigns} (
  ${c.id} bigserial PRIMARY KEY,
  ${c.name} text NOT NULL,
  ${c.status} text NOT NULL DEFAULT 'DRAFT' CONSTRAINT ${name('status_check', bare.campaigns)} CHECK (${c.status} IN (${sqlList(CAMPAIGN_STATUSES)})),
  ${c.statusMessage} text,
${timestamps(c.createdAt, c.updatedAt)}
)`,
    // listPausedCampaignIds pages through this by id.
    `CREATE INDEX IF NOT EXISTS ${name('paused_idx', bare.campaigns)} ON ${names.campaigns} (${c.id}) WHERE ${c.status} = 'PAUSED'`,
    // pauseRunningCampaigns.
    `CREATE INDEX IF NOT EXISTS ${name('running_idx', bare.campaigns)} ON ${names.campaigns} (${c.id}) WHERE ${c.status} = 'RUNNING'`,
    `CREATE TABLE IF NOT EXISTS ${names.jobs} (
  ${j.id} bigserial PRIMARY KEY,
  ${j.campaignId} bigint NOT NULL CONSTRAINT ${name('campaign_fkey', bare.jobs)} REFERENCES ${names.campaigns} (${c.id}) ON DELETE CASCADE,
  ${j.service} text NOT NULL,
  ${j.status} text NOT NULL DEFAULT 'PENDING' CONSTRAINT ${name('status_check', bare.jobs)} CHECK (${j.status} IN (${sqlList(JOB_STATUSES)})),
  ${j.error} text,
  ${j.payload} jsonb,
  ${j.attempts} integer NOT NULL DEFAULT 0 CONSTRAINT ${name('attempts_check', bare.jobs)} CHECK (${j.attempts} >= 0),
  ${j.result} jsonb,
  ${j.leaseOwner} text,
  ${j.leaseExpiresAt} timestamptz,
  ${j.availableAt} timestamptz NOT NULL DEFAULT now(),
${timestamps(j.createdAt, j.updatedAt)}
)`,
    // The foreign key's index; also a campaign's jobs, and "has unfinished jobs on this service".
    `CREATE INDEX IF NOT EXISTS ${name('campaign_service_idx', bare.jobs)} ON ${names.jobs} (${j.campaignId}, ${j.service})`,
    // Claims (oldest first) and pauseJobsForService.
    `CREATE INDEX IF NOT EXISTS ${name('pending_idx', bare.jobs)} ON ${names.jobs} (${j.service}, ${j.id}) WHERE ${j.status} = 'PENDING'`,
    // resumeJobsForService walks this in id ranges.
    `CREATE INDEX IF NOT EXISTS ${name('paused_by_service_idx', bare.jobs)} ON ${names.jobs} (${j.service}, ${j.id}) WHERE ${j.status} = 'PAUSED'`,
    // resumeCampaigns: a campaign's paused jobs.
    `CREATE INDEX IF NOT EXISTS ${name('paused_by_campaign_idx', bare.jobs)} ON ${names.jobs} (${j.campaignId}) WHERE ${j.status} = 'PAUSED'`,
    // Expired leases: claimed again, or released.
    `CREATE INDEX IF NOT EXISTS ${name('processing_idx', bare.jobs)} ON ${names.jobs} (${j.service}, ${j.leaseExpiresAt}) WHERE ${j.status} = 'PROCESSING'`,
    `CREATE TABLE IF NOT EXISTS ${names.fences} (
  service text PRIMARY KEY,
  paused boolean NOT NULL DEFAULT false,
  reason text,
  epoch bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
    // Completed-job retention (pruneCompletedJobs) walks a service's completed jobs in completion order.
    `CREATE INDEX IF NOT EXISTS ${name('completed_idx', bare.jobs)} ON ${names.jobs} (${j.service}, ${j.updatedAt}, ${j.id}) WHERE ${j.status} = 'COMPLETED'`,
  ];
}

/**
 * The durable history (`PostgresHistoryStore`): one row per entry, its id the paging cursor. Its own knex
 * migration (`migrations/20261201000000_breakwater_history.cjs`), since databases set up before it need it added.
 */
export function historySchemaStatements(names: SqlNames): string[] {
  const index = quoteIdentifier(`${names.bare.history}_at_idx`);
  return [
    `CREATE TABLE IF NOT EXISTS ${names.history} (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  kind text NOT NULL,
  service text,
  actor text,
  reason text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
)`,
    // Pruning past the retention, and "since" for the dashboard's last 24 hours.
    `CREATE INDEX IF NOT EXISTS ${index} ON ${names.history} (at)`,
  ];
}

/** Everything `migrate()` creates: the campaign schema, then the history. */
export function allSchemaStatements(names: SqlNames): string[] {
  return [...schemaStatements(names), ...historySchemaStatements(names)];
}

/** What the first knex migration's `down` runs: the fence table, then jobs, then campaigns. */
export function dropStatements(names: SqlNames): string[] {
  return [`DROP TABLE IF EXISTS ${names.fences}`, `DROP TABLE IF EXISTS ${names.jobs}`, `DROP TABLE IF EXISTS ${names.campaigns}`];
}

/** What the history migration's `down` runs. */
export function historyDropStatements(names: SqlNames): string[] {
  return [`DROP TABLE IF EXISTS ${names.history}`];
}
