/** subscribe over LISTEN/NOTIFY: a job enqueued by another process (another pool) wakes this one. */
import type { RepositoryChange } from '@breakwater/core';
import knexFactory from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresCampaignRepository } from '../src/index.js';
import { TestDatabases, databaseUrl } from './database.js';

const databases = new TestDatabases();
afterEach(() => databases.dropAll());

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5_000) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('subscribe', () => {
  it("hears another process's enqueues, on its own channel only, until unsubscribed", async () => {
    const { knex, schema } = await databases.create();
    const otherProcess = knexFactory({ client: 'pg', connection: databaseUrl(), searchPath: [schema], pool: { min: 0, max: 2 } });
    try {
      const listening = new PostgresCampaignRepository({ knex, notifyChannel: `jobs_${schema}` });
      const writer = new PostgresCampaignRepository({ knex: otherProcess, notifyChannel: `jobs_${schema}` });
      const elsewhere = new PostgresCampaignRepository({ knex: otherProcess, notifyChannel: `other_${schema}` });
      const seen: RepositoryChange[] = [];
      const unsubscribe = listening.subscribe((change) => seen.push(change));
      const campaign = await writer.createCampaign({ name: 'remote', status: 'RUNNING' });
      // An enqueue through the subscribed instance waits until it listens, so what follows is heard.
      await listening.enqueueJob({ campaignId: campaign.id, service: 'local' });
      const remote = await writer.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
      await elsewhere.enqueueJob({ campaignId: campaign.id, service: 'not-for-us' });
      await until(() => seen.some((change) => change.jobId === remote.id));
      expect(seen.map((change) => change.service)).toEqual(['local', 'apollo']);
      expect(seen[1]).toEqual({ kind: 'job-enqueued', service: 'apollo', jobId: remote.id });

      unsubscribe();
      await writer.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toHaveLength(2);
    } finally {
      await otherProcess.destroy();
    }
  });
});
