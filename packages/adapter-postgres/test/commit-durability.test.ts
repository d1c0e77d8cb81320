/**
 * `durableJobWrites` and `preparedStatements`: a job write that need not wait for the disk flush says so for its own
 * statement only, never for the next statement on the connection nor for a host's transaction; and the options
 * are checked.
 */
import { InvalidOptionsError } from '@breakwater/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type DurableJobWrites, PostgresCampaignRepository } from '../src/index.js';
import { TestDatabases } from './database.js';

const databases = new TestDatabases();
afterEach(() => databases.dropAll());

describe('job writes that need not wait for the flush', () => {
  for (const durableJobWrites of ['none', 'enqueues', 'all'] as const) {
    it(`leave the connection as they found it (durableJobWrites: '${durableJobWrites}')`, async () => {
      // One pooled connection: every statement below runs on the one the job writes used.
      const { knex } = await databases.create({ poolMax: 1 });
      const repo = new PostgresCampaignRepository({ knex, durableJobWrites });
      const campaign = await repo.createCampaign({ name: 'wave', status: 'RUNNING' });
      await repo.enqueueJobs([{ campaignId: campaign.id, service: 'apollo' }]);
      await repo.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
      const claimed = await repo.claimJobs({ service: 'apollo', workerId: 'w', limit: 2, leaseMs: 60_000 });
      const [first, second] = claimed.map((job) => ({ jobId: job.id, result: 'sent' }));
      expect(await repo.completeJobs({ workerId: 'w', jobs: [first!] })).toEqual([true]);
      expect(await repo.failJob({ ...second!, workerId: 'w', error: 'HTTP 500', retryInMs: 0 })).toBe(true);
      expect((await knex.raw('SHOW synchronous_commit')).rows).toEqual([{ synchronous_commit: 'on' }]);
      expect(await repo.countJobsByStatus({ service: 'apollo' })).toMatchObject({ COMPLETED: 1, PENDING: 1 });
    });
  }

  for (const durableJobWrites of ['enqueues', 'none'] as const) {
    it(`hand a claimed job over before the enqueue returns, and leave the connection as they found it (durableJobWrites: '${durableJobWrites}')`, async () => {
      const { knex } = await databases.create({ poolMax: 1 });
      const repo = new PostgresCampaignRepository({ knex, durableJobWrites });
      const campaign = await repo.createCampaign({ name: 'wave', status: 'RUNNING' });
      const claims = [{ service: 'apollo', workerId: 'w', limit: 2, leaseMs: 60_000 }];
      const handed: string[][] = [];
      let returned = false;
      const onClaimed = (jobs: readonly { id: string }[]) => {
        expect(returned).toBe(false);
        handed.push(jobs.map((job) => job.id));
      };
      const one = await repo.enqueueJob({ campaignId: campaign.id, service: 'apollo' }, { claims, onClaimed });
      const many = await repo.enqueueJobs([{ campaignId: campaign.id, service: 'apollo' }], { claims, onClaimed });
      returned = true;
      expect(handed).toEqual([[one.id], [many[0]?.id]]);
      expect((await knex.raw('SHOW synchronous_commit')).rows).toEqual([{ synchronous_commit: 'on' }]);
      expect(await repo.countJobsByStatus({ service: 'apollo' })).toMatchObject({ PROCESSING: 2 });
    });
  }

  it("never change how a host's transaction commits, and are rolled back with it", async () => {
    const { knex } = await databases.create();
    const campaign = await new PostgresCampaignRepository({ knex }).createCampaign({ name: 'wave', status: 'RUNNING' });
    const trx = await knex.transaction();
    try {
      const inHostTransaction = new PostgresCampaignRepository({ knex: trx, durableJobWrites: 'none' });
      await inHostTransaction.enqueueJobs([{ campaignId: campaign.id, service: 'apollo' }]);
      expect(await inHostTransaction.claimJobs({ service: 'apollo', workerId: 'w', limit: 1, leaseMs: 60_000 })).toHaveLength(1);
      expect((await trx.raw('SHOW synchronous_commit')).rows).toEqual([{ synchronous_commit: 'on' }]);
    } finally {
      await trx.rollback();
    }
    expect(await new PostgresCampaignRepository({ knex }).listJobs({ campaignId: campaign.id })).toEqual([]);
  });
});

describe('options', () => {
  it('refuses an unknown durableJobWrites and a preparedStatements that is not a boolean, naming the option', async () => {
    const { knex } = await databases.create({ migrate: false });
    expect(() => new PostgresCampaignRepository({ knex, durableJobWrites: 'sometimes' as DurableJobWrites })).toThrow(InvalidOptionsError);
    expect(() => new PostgresCampaignRepository({ knex, durableJobWrites: 'sometimes' as DurableJobWrites })).toThrow(
      'Invalid option "durableJobWrites": must be one of "all", "enqueues", "none"',
    );
    expect(() => new PostgresCampaignRepository({ knex, preparedStatements: 'yes' as unknown as boolean })).toThrow(
      'Invalid option "preparedStatements": must be true or false',
    );
  });
});
