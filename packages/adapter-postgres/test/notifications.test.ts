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
      await until(() => seen.some((change) => change.kind === 'job-enqueued' && change.jobId === remote.id));
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

  it('sends one NOTIFY for a whole batch, heard as one change per service', async () => {
    const { knex, schema } = await databases.create();
    const channel = `jobs_${schema}`;
    // A plain pg connection of its own (pg ships no types: the part used here).
    const raw = (await knex.client.acquireRawConnection()) as {
      query(sql: string): Promise<unknown>;
      on(event: 'notification', handler: (message: { channel: string; payload?: string }) => void): void;
    };
    try {
      const payloads: string[] = [];
      raw.on('notification', (message) => {
        if (message.channel === channel && message.payload !== undefined) payloads.push(message.payload);
      });
      await raw.query(`LISTEN "${channel}"`);
      const repo = new PostgresCampaignRepository({ knex, notifyChannel: channel });
      const seen: RepositoryChange[] = [];
      const unsubscribe = repo.subscribe((change) => seen.push(change));
      const campaign = await repo.createCampaign({ name: 'bulk', status: 'RUNNING' });
      await repo.enqueueJobs(
        Array.from({ length: 500 }, (_, n) => ({ campaignId: campaign.id, service: n % 5 === 0 ? 'openai' : 'apollo' })),
      );
      await until(() => seen.length >= 2 && payloads.length >= 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      unsubscribe();

      expect(payloads).toHaveLength(1);
      expect(JSON.parse(payloads[0] ?? '')).toEqual({ services: { apollo: 400, openai: 100 } });
      expect([...seen].sort((x, y) => x.service.localeCompare(y.service))).toEqual([
        { kind: 'jobs-enqueued', service: 'apollo', count: 400 },
        { kind: 'jobs-enqueued', service: 'openai', count: 100 },
      ]);
    } finally {
      await knex.client.destroyRawConnection(raw);
    }
  });
});
