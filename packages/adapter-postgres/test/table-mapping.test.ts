/**
 * A host's own tables that do not (quite) fit the mapping: every mismatch is reported with the table
 * and the mapping key, before anything is created; rows with statuses Breakwater does not know are
 * reported at migrate/verifySchema and in status(), never silently left out.
 */
import { InMemoryCircuitBreakerStore, InMemoryQueueStore, InvalidOptionsError, createBreakwater } from '@breakwater/core';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresCampaignRepository, type SchemaNamingOptions, migrate, verifySchema } from '../src/index.js';
import { TestDatabases } from './database.js';

const databases = new TestDatabases();
afterEach(() => databases.dropAll());

const HOST_COLUMNS = {
  campaigns: { id: 'campaign_pk', name: 'title', status: 'state', statusMessage: 'state_note' },
  jobs: { id: 'task_pk', campaignId: 'campaign_fk', service: 'provider', status: 'state', leaseExpiresAt: 'locked_until' },
};

/** The host's columns, one definition each, so a test can drop or change one. */
const CAMPAIGN_DEFINITIONS: Record<string, string> = {
  campaign_pk: 'bigserial PRIMARY KEY',
  title: 'text NOT NULL',
  state: 'varchar(20) NOT NULL',
  state_note: 'text',
  created_at: 'timestamptz NOT NULL DEFAULT now()',
  updated_at: 'timestamptz NOT NULL DEFAULT now()',
};
const JOB_DEFINITIONS: Record<string, string> = {
  task_pk: 'bigserial PRIMARY KEY',
  campaign_fk: 'bigint NOT NULL',
  provider: 'text NOT NULL',
  state: "text NOT NULL DEFAULT 'PENDING'",
  error: 'text',
  payload: 'jsonb',
  attempts: 'integer NOT NULL DEFAULT 0',
  result: 'jsonb',
  lease_owner: 'text',
  locked_until: 'timestamptz',
  available_at: 'timestamptz NOT NULL DEFAULT now()',
  created_at: 'timestamptz NOT NULL DEFAULT now()',
  updated_at: 'timestamptz NOT NULL DEFAULT now()',
};

function columnsSql(definitions: Record<string, string>, change: Record<string, string | null>): string {
  return Object.entries({ ...definitions, ...change })
    .filter(([, definition]) => definition !== null)
    .map(([name, definition]) => `"${name}" ${definition}`)
    .join(', ');
}

/** A database whose schema holds the host's tables (`outreach_campaigns`, `outreach_tasks`), with changes. */
async function hostTables(change: { campaigns?: Record<string, string | null>; jobs?: Record<string, string | null> } = {}) {
  const db = await databases.create({ migrate: false });
  await db.knex.raw(`CREATE TABLE outreach_campaigns (${columnsSql(CAMPAIGN_DEFINITIONS, change.campaigns ?? {})})`);
  await db.knex.raw(`CREATE TABLE outreach_tasks (${columnsSql(JOB_DEFINITIONS, change.jobs ?? {})})`);
  const names: SchemaNamingOptions = { tables: { campaigns: 'outreach_campaigns', jobs: 'outreach_tasks' }, columns: HOST_COLUMNS };
  const tables = async () => {
    const { rows } = await db.knex.raw('SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1', [db.schema]);
    return rows.map((row: { table_name: string }) => row.table_name);
  };
  return { ...db, names, tables };
}

function recordingLogger() {
  const warnings: { fields: Record<string, unknown>; message: string | undefined }[] = [];
  return { warnings, warn: (fields: Record<string, unknown>, message?: string) => warnings.push({ fields, message }) };
}

describe('mapping onto existing tables', () => {
  it('migrate names the table and the mapping key of a missing column, and creates nothing', async () => {
    const host = await hostTables({ jobs: { locked_until: null } });
    const error = await migrate(host.knex, host.names).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as Error).message).toBe(
      `The tables do not fit Breakwater's mapping (options "tables" and "columns"):\n` +
        `  - table "outreach_tasks" (tables.jobs), key columns.jobs.leaseExpiresAt: column "locked_until" does not exist; ` +
        'add it (timestamptz, NULL allowed) or map leaseExpiresAt to another column',
    );
    expect(await host.tables()).toEqual(['outreach_campaigns', 'outreach_tasks']);
  });

  it('lists every mismatch at once: types, NULL where Breakwater writes NULL, defaults where it inserts without a value', async () => {
    const host = await hostTables({
      campaigns: { state: 'integer NOT NULL DEFAULT 0' },
      jobs: {
        payload: 'text',
        error: "text NOT NULL DEFAULT ''",
        attempts: 'integer NOT NULL',
        created_at: 'timestamp NOT NULL DEFAULT now()',
      },
    });
    const message = await migrate(host.knex, host.names).then(
      () => '',
      (error: Error) => error.message,
    );
    expect(message.split('\n').slice(1)).toEqual([
      '  - table "outreach_campaigns" (tables.campaigns), key columns.campaigns.status: column "state" is integer; it must be text or varchar',
      '  - table "outreach_tasks" (tables.jobs), key columns.jobs.error: column "error" is NOT NULL, but Breakwater stores NULL there; it must be text or varchar, NULL allowed',
      '  - table "outreach_tasks" (tables.jobs), key columns.jobs.payload: column "payload" is text; it must be jsonb or json, NULL allowed',
      '  - table "outreach_tasks" (tables.jobs), key columns.jobs.attempts: column "attempts" is NOT NULL without a DEFAULT, but Breakwater inserts rows without it; it must be integer, with a DEFAULT',
      '  - table "outreach_tasks" (tables.jobs), key columns.jobs.createdAt: column "created_at" is timestamp without time zone; it must be timestamptz, with a DEFAULT',
    ]);
  });

  it('a repository used without migrate names the mapping key of a column or table the database does not have', async () => {
    const host = await hostTables({ jobs: { locked_until: null } });
    const names = { ...host.names, tables: { ...host.names.tables, fences: 'outreach_fences' } };
    // Through Breakwater, as a host calls it: core's port guard reports the adapter's error as a StoreError.
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      campaigns: new PostgresCampaignRepository({ knex: host.knex, ...names }),
    });
    await expect(bw.campaigns.listJobs()).rejects.toThrow(
      /^CampaignRepository\.listJobs failed: column job\.locked_until does not exist \(mapped as columns\.jobs\.leaseExpiresAt of table "outreach_tasks": /,
    );
    // The fence table, which only migrate() creates.
    await expect(bw.campaigns.claimJobs({ service: 'apollo', workerId: 'w', limit: 1, leaseMs: 1_000 })).rejects.toThrow(
      'CampaignRepository.claimJobs failed: relation "outreach_fences" does not exist (mapped as tables.fences: ',
    );
    await bw.close();
  });

  it('verifySchema checks without creating anything, and names a table that is not there', async () => {
    const db = await databases.create({ migrate: false });
    await expect(verifySchema(db.knex)).rejects.toThrow(
      'table "campaigns" (tables.campaigns) does not exist; run migrate() to create it, or map tables.campaigns to your table',
    );
    const host = await hostTables();
    expect(await verifySchema(host.knex, { ...host.names, logger: recordingLogger() })).toEqual({ unrecognizedStatuses: [] });
    expect(await host.tables()).toEqual(['outreach_campaigns', 'outreach_tasks']);
  });
});

describe('statuses Breakwater does not know', () => {
  async function hostWithForeignRows() {
    const host = await hostTables();
    await host.knex.raw(
      `INSERT INTO outreach_campaigns (title, state) VALUES ('a', 'running'), ('b', 'running'), ('c', 'ACTIVE'), ('d', 'RUNNING')`,
    );
    await host.knex.raw(
      `INSERT INTO outreach_tasks (campaign_fk, provider, state) SELECT campaign_pk, 'apollo', 'queued' FROM outreach_campaigns`,
    );
    return host;
  }

  it('migrate reports them, one warning per table, and returns them', async () => {
    const host = await hostWithForeignRows();
    const logger = recordingLogger();
    const report = await migrate(host.knex, { ...host.names, logger });
    expect(report.unrecognizedStatuses).toEqual([
      { entity: 'campaign', status: 'ACTIVE', count: 1 },
      { entity: 'campaign', status: 'running', count: 2 },
      { entity: 'job', status: 'queued', count: 4 },
    ]);
    expect(logger.warnings.map((warning) => warning.message)).toEqual([
      'Breakwater leaves alone the rows of table "outreach_campaigns" whose status is not one of DRAFT, RUNNING, PAUSED, COMPLETED, FAILED, CANCELLED: ' +
        '1 campaign with status "ACTIVE", 2 campaigns with status "running". They are never paused, resumed or counted; update them to one of those values.',
      'Breakwater leaves alone the rows of table "outreach_tasks" whose status is not one of PENDING, PROCESSING, PAUSED, COMPLETED, FAILED: ' +
        '4 jobs with status "queued". They are never paused, resumed or counted; update them to one of those values.',
    ]);
  });

  it('status() lists them beside the counts, which keep their meaning; a trip leaves them alone', async () => {
    const host = await hostWithForeignRows();
    await migrate(host.knex, { ...host.names, logger: recordingLogger() });
    const repository = new PostgresCampaignRepository({ knex: host.knex, ...host.names });
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      campaigns: repository,
    });
    await bw.breakers.trip('apollo', 'maintenance');
    const status = await bw.status();
    expect(status.campaigns).toMatchObject({ PAUSED: 1, RUNNING: 0 });
    expect(status.unrecognizedStatuses).toEqual([
      { entity: 'campaign', status: 'ACTIVE', count: 1 },
      { entity: 'campaign', status: 'running', count: 2 },
      { entity: 'job', status: 'queued', count: 4 },
    ]);
    await bw.close();
  });

  it('a transition from one says which status it has, and which Breakwater knows', async () => {
    const host = await hostWithForeignRows();
    const repository = new PostgresCampaignRepository({ knex: host.knex, ...host.names });
    const { rows } = await host.knex.raw(`SELECT campaign_pk::text AS id FROM outreach_campaigns WHERE state = 'running' LIMIT 1`);
    const id = rows[0].id as string;
    await expect(repository.transitionCampaign(id, 'PAUSED')).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
      from: 'running',
      to: 'PAUSED',
      message: `Invalid campaign state transition: campaign ${id} has status "running", which is not one of Breakwater's (DRAFT, RUNNING, PAUSED, COMPLETED, FAILED, CANCELLED)`,
    });
  });
});
