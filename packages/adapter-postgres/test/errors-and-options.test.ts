import {
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  InvalidOptionsError,
  StoreError,
  createBreakwater,
  isBreakwaterError,
} from '@breakwater/core';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresCampaignRepository, migrate } from '../src/index.js';
import { TestDatabases } from './database.js';

const databases = new TestDatabases();
afterEach(() => databases.dropAll());

describe('errors', () => {
  it("driver failures are pg's own errors, with the database's message; through Breakwater, StoreError('CampaignRepository', <method>)", async () => {
    const { knex } = await databases.create({ migrate: false });
    const repo = new PostgresCampaignRepository({ knex });
    const raw = await repo.countCampaignsByStatus().catch((caught: unknown) => caught);
    expect(isBreakwaterError(raw)).toBe(false);
    expect(raw).toMatchObject({ code: '42P01', message: 'relation "campaigns" does not exist' });

    // Core's guardPort is the one layer that wraps: the adapter's error becomes the StoreError's cause.
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      campaigns: repo,
    });
    try {
      const error = await bw.campaigns.countCampaignsByStatus().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ code: 'STORE_ERROR', port: 'CampaignRepository', operation: 'countCampaignsByStatus' });
      expect((error as Error).message).toBe('CampaignRepository.countCampaignsByStatus failed: relation "campaigns" does not exist');
      expect((error as Error).cause).toMatchObject({ code: '42P01', message: 'relation "campaigns" does not exist' });
      await expect(bw.campaigns.pauseJobsForService('apollo', 'down')).rejects.toMatchObject({
        code: 'STORE_ERROR',
        operation: 'pauseJobsForService',
      });
    } finally {
      await bw.close();
    }
  });

  it('an id the id column cannot read is simply not found', async () => {
    const { knex } = await databases.create();
    const repo = new PostgresCampaignRepository({ knex });
    expect(await repo.getCampaign('not-a-number')).toBeNull();
    expect(await repo.getJob('99999999999999999999999')).toBeNull();
    await expect(repo.transitionCampaign('abc', 'RUNNING')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(repo.enqueueJob({ campaignId: 'abc', service: 'apollo' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await repo.completeJob({ jobId: 'abc', workerId: 'w', result: null })).toBe(false);
    const running = await repo.createCampaign({ name: 'r', status: 'RUNNING' });
    await expect(
      repo.enqueueJobs([
        { campaignId: running.id, service: 'apollo' },
        { campaignId: 'abc', service: 'apollo' },
      ]),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Campaign abc not found' });
    expect(await repo.listJobs({ campaignId: running.id })).toEqual([]);
    await repo.enqueueJob({ campaignId: running.id, service: 'apollo' });
    const [held] = await repo.claimJobs({ service: 'apollo', workerId: 'w', limit: 1, leaseMs: 60_000 });
    if (!held) throw new Error('no job was claimed');
    expect(
      await repo.completeJobs({
        workerId: 'w',
        jobs: [
          { jobId: 'abc', result: null },
          { jobId: held.id, result: 'sent' },
        ],
      }),
    ).toEqual([false, true]);
    const paused = await repo.createCampaign({ name: 'p', status: 'PAUSED' });
    expect(await repo.resumeCampaigns(['abc', paused.id], 'resumed')).toEqual([
      { id: 'abc', ok: false, error: 'Campaign abc not found' },
      { id: paused.id, ok: true, jobsResumed: 0 },
    ]);
  });

  it('migrate() failures are StoreErrors (migrate is no port method: nothing else would name it)', async () => {
    const { knex } = await databases.create({ migrate: false });
    await expect(migrate(knex, { tables: { campaigns: 'no_such_schema.campaigns' } })).rejects.toMatchObject({
      code: 'STORE_ERROR',
      message: 'CampaignRepository.migrate failed: schema "no_such_schema" does not exist',
    });
  });
});

describe('options', () => {
  it('refuses a missing or non-PostgreSQL knex, and bad sizes, naming the option', async () => {
    const { knex } = await databases.create({ migrate: false });
    expect(() => new PostgresCampaignRepository({} as { knex: Knex })).toThrow(InvalidOptionsError);
    expect(() => new PostgresCampaignRepository({} as { knex: Knex })).toThrow('Missing required option "knex"');
    const mysqlKnex = Object.assign(() => undefined, { client: { dialect: 'mysql' } }) as unknown as Knex;
    expect(() => new PostgresCampaignRepository({ knex: mysqlKnex })).toThrow(
      'Invalid option "knex": its client must be "pg" (PostgreSQL), not mysql',
    );
    expect(() => new PostgresCampaignRepository({ knex, resumeBatchSize: 0 })).toThrow(
      'Invalid option "resumeBatchSize": must be a positive integer',
    );
    expect(() => new PostgresCampaignRepository({ knex, jobResumeChunkSize: 1.5 })).toThrow('Invalid option "jobResumeChunkSize"');
    expect(() => new PostgresCampaignRepository({ knex, columns: { jobs: { status: '' } } })).toThrow(
      'Invalid option "columns.jobs.status"',
    );
    expect(() => new PostgresCampaignRepository({ knex, listenKnex: 'postgres://direct' as unknown as Knex })).toThrow(
      'Invalid option "listenKnex": must be a knex instance (client "pg")',
    );
    expect(() => new PostgresCampaignRepository({ knex, listenKnex: mysqlKnex })).toThrow(
      'Invalid option "listenKnex": its client must be "pg" (PostgreSQL), not mysql',
    );
  });

  it('refuses an unknown option naming the one meant, a connection string where knex belongs, and a table name of three parts', async () => {
    const { knex } = await databases.create({ migrate: false });
    expect(() => new PostgresCampaignRepository({ knex, resumeBatch: 10 } as never)).toThrow(
      'Unknown option "resumeBatch" for PostgresCampaignRepository (did you mean "resumeBatchSize"?)',
    );
    expect(() => new PostgresCampaignRepository({ knex: 'postgres://app@db.internal/app' as never })).toThrow(
      'Invalid option "knex": a connection string was given; pass a knex instance built from it',
    );
    expect(() => new PostgresCampaignRepository({ knex, tables: { campaigns: 'a.b.c.d' } })).toThrow(
      'Invalid option "tables.campaigns": "a.b.c.d" is not a usable table name',
    );
    expect(() => new PostgresCampaignRepository({ knex, tables: { campaigns: 'sales.campaigns' } })).not.toThrow();
  });
});
