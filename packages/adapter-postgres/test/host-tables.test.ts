/**
 * A host that already has its own tables, with other names and columns: the repository maps onto them
 * (schema-qualified table names, renamed columns, extra host columns, varchar statuses, no CHECKs).
 * The whole contract runs on them, then a pause and resume through createBreakwater.
 */
import { type CampaignRepository, InMemoryCircuitBreakerStore, InMemoryQueueStore, createBreakwater } from '@breakwater/core';
import { campaignRepositoryContract } from '@breakwater/core/testing';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresCampaignRepository, type SchemaNamingOptions, migrate } from '../src/index.js';
import { TestDatabases } from './database.js';
import { failCampaignResume } from './resume-failure-trigger.js';

const databases = new TestDatabases();
/** The host's schemas, dropped before the databases whose pools reach them. */
const hostSchemas: { knex: Knex; schema: string }[] = [];
afterEach(async () => {
  for (const { knex, schema } of hostSchemas.splice(0)) await knex.raw('DROP SCHEMA ?? CASCADE', [schema]);
  await databases.dropAll();
});

function hostNames(schema: string): SchemaNamingOptions {
  return {
    tables: {
      campaigns: `${schema}.outreach_campaigns`,
      jobs: `${schema}.outreach_tasks`,
      fences: `${schema}.bw_fences`,
      history: `${schema}.bw_history`,
    },
    columns: {
      campaigns: {
        id: 'campaign_pk',
        name: 'title',
        status: 'state',
        statusMessage: 'state_note',
        createdAt: 'inserted_at',
        updatedAt: 'modified_at',
      },
      jobs: {
        id: 'task_pk',
        campaignId: 'outreach_campaign_fk',
        service: 'provider',
        status: 'state',
        error: 'failure',
        payload: 'body',
        attempts: 'tries',
        result: 'output',
        leaseOwner: 'locked_by',
        leaseExpiresAt: 'locked_until',
        availableAt: 'run_after',
        createdAt: 'inserted_at',
        updatedAt: 'modified_at',
      },
    },
  };
}

/** The host's tables, made before Breakwater arrives; then migrate() adds only the fence table and the indexes. */
async function hostDatabase() {
  // The search path points elsewhere: everything must go through the qualified names.
  const db = await databases.create({ migrate: false });
  const schema = `${db.schema}_host`;
  await db.knex.raw('CREATE SCHEMA ??', [schema]);
  await db.knex.raw(
    `CREATE TABLE ??.outreach_campaigns (
    campaign_pk bigserial PRIMARY KEY, title varchar(200) NOT NULL, state varchar(20) NOT NULL, state_note text,
    owner_email text NOT NULL DEFAULT 'sales@example.com', inserted_at timestamptz NOT NULL DEFAULT now(), modified_at timestamptz NOT NULL DEFAULT now())`,
    [schema],
  );
  await db.knex.raw(
    `CREATE TABLE ??.outreach_tasks (
    task_pk bigserial PRIMARY KEY, outreach_campaign_fk bigint NOT NULL REFERENCES ??.outreach_campaigns (campaign_pk),
    provider varchar(50) NOT NULL, state varchar(20) NOT NULL DEFAULT 'PENDING', failure text, body jsonb, tries int NOT NULL DEFAULT 0,
    output jsonb, locked_by text, locked_until timestamptz, run_after timestamptz NOT NULL DEFAULT now(),
    inserted_at timestamptz NOT NULL DEFAULT now(), modified_at timestamptz NOT NULL DEFAULT now())`,
    [schema, schema],
  );
  const names = hostNames(schema);
  await migrate(db.knex, names);
  hostSchemas.push({ knex: db.knex, schema });
  return { knex: db.knex, schema, names, repository: new PostgresCampaignRepository({ knex: db.knex, ...names }) };
}

const schemaOf = new WeakMap<CampaignRepository, { knex: Knex; schema: string }>();
function hostOf(repo: CampaignRepository) {
  const host = schemaOf.get(repo);
  if (!host) throw new Error('not a repository made by this file');
  return host;
}

describe('on host tables with other names', () => {
  campaignRepositoryContract(
    { describe, it, expect },
    async () => {
      const host = await hostDatabase();
      schemaOf.set(host.repository, host);
      return host.repository;
    },
    {
      subscribe: true,
      readCampaignRaw: async (repo, id) => {
        const { knex, schema } = hostOf(repo);
        const { rows } = await knex.raw('SELECT state, state_note FROM ??.outreach_campaigns WHERE campaign_pk = ?', [schema, id]);
        return { status: rows[0].state, statusMessage: rows[0].state_note };
      },
      readJobRaw: async (repo, id) => {
        const { knex, schema } = hostOf(repo);
        const { rows } = await knex.raw('SELECT state, failure, tries FROM ??.outreach_tasks WHERE task_pk = ?', [schema, id]);
        return { status: rows[0].state, error: rows[0].failure, attempts: rows[0].tries };
      },
      failCampaignResume: async (repo, id, message) => {
        const { knex, schema } = hostOf(repo);
        await failCampaignResume(knex, id, message, { table: `${schema}.outreach_campaigns`, id: 'campaign_pk', status: 'state' });
      },
    },
  );

  it('migrate() on them adds the fence and history tables and the indexes, and leaves the host columns alone', async () => {
    const { knex, schema } = await hostDatabase();
    const { rows: tables } = await knex.raw('SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1', [schema]);
    expect(tables.map((row: { table_name: string }) => row.table_name)).toEqual([
      'bw_fences',
      'bw_history',
      'outreach_campaigns',
      'outreach_tasks',
    ]);
    const { rows: indexes } = await knex.raw(
      `SELECT indexname FROM pg_indexes WHERE schemaname = ? AND indexname LIKE 'outreach_tasks_%' ORDER BY 1`,
      [schema],
    );
    expect(indexes.map((row: { indexname: string }) => row.indexname)).toContain('outreach_tasks_paused_by_service_idx');
    const { rows: columns } = await knex.raw(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = 'outreach_campaigns' ORDER BY ordinal_position`,
      [schema],
    );
    expect(columns.map((row: { column_name: string }) => row.column_name)).toEqual([
      'campaign_pk',
      'title',
      'state',
      'state_note',
      'owner_email',
      'inserted_at',
      'modified_at',
    ]);
  });

  it('a pause and a resumeQueue run through them', async () => {
    const { knex, schema, repository } = await hostDatabase();
    // The host writes its own rows with plain SQL.
    await knex.raw(`INSERT INTO ??.outreach_campaigns (title, state) SELECT 'wave ' || n, 'RUNNING' FROM generate_series(1, 5) n`, [
      schema,
    ]);
    await knex.raw(
      `INSERT INTO ??.outreach_tasks (outreach_campaign_fk, provider) SELECT c.campaign_pk, p FROM ??.outreach_campaigns c, unnest(ARRAY['apollo', 'openai']) p`,
      [schema, schema],
    );
    const bw = createBreakwater({
      services: ['apollo', 'openai'],
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      campaigns: repository,
      policy: { failureThreshold: 1 },
    });

    await bw.breakers.trip('apollo', 'maintenance window');
    const states = async (table: string, column: string) => {
      const { rows } = await knex.raw(`SELECT ?? AS state, count(*)::int AS n FROM ??.?? GROUP BY 1 ORDER BY 1`, [column, schema, table]);
      return Object.fromEntries(rows.map((row: { state: string; n: number }) => [row.state, row.n]));
    };
    expect(await states('outreach_campaigns', 'state')).toEqual({ PAUSED: 5 });
    expect(await states('outreach_tasks', 'state')).toEqual({ PAUSED: 5, PENDING: 5 });
    expect(await bw.campaigns.claimJobs({ service: 'openai', workerId: 'w', limit: 10, leaseMs: 1_000 })).toEqual([]);

    await bw.breakers.reset('apollo');
    const report = await bw.resumeQueue();
    expect(report).toMatchObject({ jobsResumed: 5, campaignsEligible: 5, campaignsResumed: 5, campaignResumeErrors: [] });
    expect(await states('outreach_campaigns', 'state')).toEqual({ RUNNING: 5 });
    expect(await states('outreach_tasks', 'state')).toEqual({ PENDING: 10 });
    const { rows } = await knex.raw(`SELECT DISTINCT state_note, owner_email FROM ??.outreach_campaigns`, [schema]);
    expect(rows).toEqual([{ state_note: 'Campaign resumed - services are available', owner_email: 'sales@example.com' }]);
    expect(await bw.campaigns.claimJobs({ service: 'apollo', workerId: 'w', limit: 10, leaseMs: 1_000 })).toHaveLength(5);
    await bw.close();
  });
});
