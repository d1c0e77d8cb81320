import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PostgresCampaignRepository,
  allSchemaStatements,
  dropStatements,
  historyDropStatements,
  historySchemaStatements,
  migrate,
  resolveSqlNames,
  schemaStatements,
} from '../src/index.js';
import { TestDatabases } from './database.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));
type ShippedMigration = { UP: string[]; DOWN: string[] };
const load = (file: string) => createRequire(import.meta.url)(`../migrations/${file}`) as ShippedMigration;
const shipped = load('20261128000000_breakwater.cjs');
const completedJobs = load('20261210000000_breakwater_completed_jobs.cjs');
const shippedHistory = load('20261201000000_breakwater_history.cjs');

const databases = new TestDatabases();
afterEach(() => databases.dropAll());

/** Columns, constraints and indexes of the schema, as the catalog has them. */
async function catalog(knex: Knex, schema: string) {
  const columns = await knex.raw(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
     WHERE table_schema = ? AND table_name <> 'knex_migrations' AND table_name <> 'knex_migrations_lock' ORDER BY table_name, ordinal_position`,
    [schema],
  );
  const constraints = await knex.raw(
    `SELECT conrelid::regclass::text AS "table", conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE connamespace = ?::regnamespace AND conrelid::regclass::text NOT LIKE 'knex_%' ORDER BY 1, 2`,
    [schema],
  );
  const indexes = await knex.raw(
    `SELECT indexname, replace(indexdef, ?, 'S.') AS definition FROM pg_indexes WHERE schemaname = ? AND tablename NOT LIKE 'knex_%' ORDER BY indexname`,
    [`${schema}.`, schema],
  );
  return { columns: columns.rows, constraints: constraints.rows, indexes: indexes.rows };
}

describe('the schema', () => {
  it('the shipped knex migrations hold the statements migrate() runs, word for word', () => {
    expect([...shipped.UP, ...completedJobs.UP]).toEqual(schemaStatements(resolveSqlNames()));
    expect(shipped.DOWN).toEqual(dropStatements(resolveSqlNames()));
    expect(completedJobs.DOWN).toEqual(['DROP INDEX IF EXISTS "jobs_completed_idx"']);
    expect(shippedHistory.UP).toEqual(historySchemaStatements(resolveSqlNames()));
    expect(shippedHistory.DOWN).toEqual(historyDropStatements(resolveSqlNames()));
    expect([...shipped.UP, ...completedJobs.UP, ...shippedHistory.UP]).toEqual(allSchemaStatements(resolveSqlNames()));
  });

  it('migrate() is idempotent, and a database it set up takes the knex migration without change', async () => {
    const db = await databases.create();
    const before = await catalog(db.knex, db.schema);
    await migrate(db.knex);
    await Promise.all([migrate(db.knex), migrate(db.knex)]);
    expect(await catalog(db.knex, db.schema)).toEqual(before);

    await db.knex.migrate.latest({ directory: MIGRATIONS, loadExtensions: ['.cjs'] });
    expect(await catalog(db.knex, db.schema)).toEqual(before);
    expect(before.indexes.map((index: { indexname: string }) => index.indexname)).toEqual([
      'breakwater_history_at_idx',
      'breakwater_history_pkey',
      'breakwater_service_fences_pkey',
      'campaigns_paused_idx',
      'campaigns_pkey',
      'campaigns_running_idx',
      'jobs_campaign_service_idx',
      'jobs_completed_idx',
      'jobs_paused_by_campaign_idx',
      'jobs_paused_by_service_idx',
      'jobs_pending_idx',
      'jobs_pkey',
      'jobs_processing_idx',
    ]);
  });

  it('the knex migration alone builds a working schema, and its down removes it', async () => {
    const db = await databases.create({ migrate: false });
    await db.knex.migrate.latest({ directory: MIGRATIONS, loadExtensions: ['.cjs'] });
    const repo = new PostgresCampaignRepository({ knex: db.knex });
    const campaign = await repo.createCampaign({ name: 'via knex migration', status: 'RUNNING' });
    expect((await repo.enqueueJob({ campaignId: campaign.id, service: 'apollo' })).status).toBe('PENDING');

    await db.knex.migrate.rollback({ directory: MIGRATIONS, loadExtensions: ['.cjs'] }, true);
    const { rows } = await db.knex.raw(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name NOT LIKE 'knex_%'`,
      [db.schema],
    );
    expect(rows).toEqual([]);
  });

  it('a host inserts jobs with plain SQL: every other column has a default', async () => {
    const db = await databases.create();
    const repo = new PostgresCampaignRepository({ knex: db.knex });
    const campaign = await repo.createCampaign({ name: 'plain SQL', status: 'RUNNING' });
    await db.knex.raw(`INSERT INTO jobs (campaign_id, service, status, error) VALUES (?, 'apollo', 'PENDING', NULL)`, [campaign.id]);
    const [claimed] = await repo.claimJobs({ service: 'apollo', workerId: 'w', limit: 1, leaseMs: 1_000 });
    expect(claimed).toMatchObject({ campaignId: campaign.id, status: 'PROCESSING', attempts: 1, payload: null, result: null });
  });

  it('statuses are CHECKed: a row the domain does not know is refused', async () => {
    const db = await databases.create();
    await expect(db.knex.raw(`INSERT INTO campaigns (name, status) VALUES ('x', 'paused')`)).rejects.toThrow(/campaigns_status_check/);
  });
});

describe('migrate() inside a host transaction (as in a knex migration of the host)', () => {
  it('takes part in it: rolled back with it, committed with it', async () => {
    const db = await databases.create({ migrate: false });
    const tables = async () =>
      (await db.knex.raw(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = ?`, [db.schema])).rows[0]
        .n as number;
    // The rejection must be the host's own error: a failed expect inside the transaction rejects it too,
    // and swallowing every rejection would hide that failure.
    await expect(
      db.knex.transaction(async (trx) => {
        await migrate(trx);
        expect(
          (await trx.raw(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = ?`, [db.schema])).rows[0].n,
        ).toBe(4);
        throw new Error('the host migration fails later');
      }),
    ).rejects.toThrow('the host migration fails later');
    expect(await tables()).toBe(0);

    await db.knex.transaction(async (trx) => {
      await migrate(trx);
      await trx.raw(`INSERT INTO campaigns (name) VALUES ('made in the same transaction')`);
    });
    expect(await tables()).toBe(4);
  });
});
