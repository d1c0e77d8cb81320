/**
 * The manual resume flow end to end on PostgreSQL: the cascade and resumeQueue through createBreakwater
 * (in-memory breaker and queue stores), then the SQL checks of docs/manual-resume.md#checking-the-result.
 */
import {
  type Breakwater,
  type CampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  createBreakwater,
} from '@breakwater/core';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresCampaignRepository, type PostgresCampaignRepositoryOptions } from '../src/index.js';
import { TestDatabases } from './database.js';
import { CAMPAIGN_PAUSED_MESSAGE, FLEET_SERVICES, generatePausedFleet } from './paused-fleet.js';
import { failCampaignResume } from './resume-failure-trigger.js';

const RESUMED = 'Campaign resumed - services are available';
const databases = new TestDatabases();
afterEach(() => databases.dropAll());

function breakwaterOn(campaigns: CampaignRepository, resumeBatchSize?: number): Breakwater {
  return createBreakwater({
    services: FLEET_SERVICES,
    breakerStore: new InMemoryCircuitBreakerStore(),
    queueStore: new InMemoryQueueStore(),
    campaigns,
    policy: { failureThreshold: 3, resetTimeoutMs: 60_000 },
    ...(resumeBatchSize === undefined ? {} : { resumeBatchSize }),
  });
}

async function fleet(options: Partial<PostgresCampaignRepositoryOptions> = {}) {
  const { knex } = await databases.create();
  const repository = new PostgresCampaignRepository({ knex, ...options });
  return { knex, repository };
}

/** The example's 8 running campaigns, their 45 jobs on apollo (15) and perplexity (30), and a DRAFT and a COMPLETED bystander. */
async function documentCampaigns(repository: CampaignRepository): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 8; i += 1) ids.push((await repository.createCampaign({ name: `Outreach wave ${i + 1}`, status: 'RUNNING' })).id);
  for (let i = 0; i < 45; i += 1) {
    await repository.enqueueJob({ campaignId: ids[i % 8] as string, service: i < 15 ? 'apollo' : 'perplexity', payload: { lead: i } });
  }
  await repository.createCampaign({ name: 'Next quarter', status: 'DRAFT' });
  await repository.createCampaign({ name: 'Last quarter', status: 'COMPLETED' });
  return ids;
}

async function trip(bw: Breakwater, service: string, reason: string): Promise<void> {
  for (let i = 0; i < bw.policy.failureThreshold; i += 1) await bw.breakers.recordFailure(service, { reason });
}

/** The checks of docs/manual-resume.md, verbatim, with rows sorted for comparison. */
async function documentQueries(knex: Knex) {
  const rows = async (sql: string) => (await knex.raw(sql)).rows as Record<string, unknown>[];
  const byStatus = (list: Record<string, unknown>[]) => Object.fromEntries(list.map((row) => [row.status, Number(row.count)]));
  return {
    campaignsByStatus: byStatus(await rows('SELECT status, COUNT(*) FROM campaigns GROUP BY status;')),
    resumedMessages: await rows(`SELECT id, name, status_message FROM campaigns
WHERE status = 'RUNNING' AND status_message LIKE '%resumed%';`),
    jobsByStatus: byStatus(await rows('SELECT status, COUNT(*) FROM jobs GROUP BY status;')),
    jobsCleared: Number((await rows(`SELECT COUNT(*) FROM jobs WHERE status != 'PAUSED' AND error IS NULL;`))[0]?.count),
  };
}

describe('the manual resume flow on PostgreSQL', () => {
  it('trips, resets without resuming, resumes 45 jobs and 8 campaigns, and the SQL checks agree', async () => {
    const { knex, repository } = await fleet();
    const bw = breakwaterOn(repository);
    await documentCampaigns(repository);

    await trip(bw, 'apollo', 'HTTP 503 from Apollo');
    await trip(bw, 'perplexity', 'HTTP 500 from Perplexity');
    const paused = await documentQueries(knex);
    expect(paused.campaignsByStatus).toEqual({ PAUSED: 8, DRAFT: 1, COMPLETED: 1 });
    expect(paused.jobsByStatus).toEqual({ PAUSED: 45 });
    expect(paused.jobsCleared).toBe(0);

    await bw.breakers.reset('apollo');
    await bw.breakers.reset('perplexity');
    expect((await documentQueries(knex)).campaignsByStatus).toEqual({ PAUSED: 8, DRAFT: 1, COMPLETED: 1 });

    const report = await bw.resumeQueue();
    expect(report).toMatchObject({
      jobsResumed: 45,
      campaignsEligible: 8,
      campaignsResumed: 8,
      campaignResumeErrors: [],
      message: 'Queue resumed successfully: 45 jobs and 8 campaigns resumed',
    });

    const resumed = await documentQueries(knex);
    // "Expected: PAUSED count decreased, RUNNING count increased"
    expect(resumed.campaignsByStatus).toEqual({ RUNNING: 8, DRAFT: 1, COMPLETED: 1 });
    expect(resumed.resumedMessages.map((row) => [row.name, row.status_message]).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => [`Outreach wave ${i + 1}`, RESUMED]).sort(),
    );
    // "Expected: PAUSED count decreased, PENDING/PROCESSING count increased"
    expect(resumed.jobsByStatus).toEqual({ PENDING: 45 });
    expect(resumed.jobsCleared).toBe(45);
    await bw.close();
  });

  it('a campaign whose update fails is reported as "Campaign <id>: <message>" and stays PAUSED; every other one resumes', async () => {
    const { knex, repository } = await fleet({ resumeBatchSize: 4 });
    const bw = breakwaterOn(repository);
    const ids = await documentCampaigns(repository);
    await trip(bw, 'apollo', 'HTTP 503 from Apollo');
    await bw.breakers.reset('apollo');
    const broken = ids[5] as string;
    await failCampaignResume(knex, broken, 'Database constraint violation');

    const report = await bw.resumeQueue();
    expect(report.campaignResumeErrors).toEqual([`Campaign ${broken}: Database constraint violation`]);
    expect(report).toMatchObject({ campaignsEligible: 8, campaignsResumed: 7, jobsResumed: 15 });
    expect(report.message).toBe('Queue resumed successfully: 15 jobs and 7 campaigns resumed (with 1 campaign errors)');

    const { rows } = await knex.raw('SELECT id::text, status, status_message FROM campaigns WHERE status <> ? ORDER BY campaigns.id', [
      'RUNNING',
    ]);
    expect(rows).toEqual([
      { id: broken, status: 'PAUSED', status_message: 'Paused: circuit breaker open for apollo (HTTP 503 from Apollo)' },
      expect.objectContaining({ status: 'DRAFT' }),
      expect.objectContaining({ status: 'COMPLETED' }),
    ]);
    expect((await documentQueries(knex)).resumedMessages).toHaveLength(7);
    await bw.close();
  });

  it('at scale: thousands of paused campaigns resume in batches, failures isolated, the queries agree', async () => {
    const { knex, repository } = await fleet({ resumeBatchSize: 64, jobResumeChunkSize: 1_500 });
    await generatePausedFleet(knex, { campaigns: 2_000, jobsPerCampaign: 6 });
    const broken = ['17', '18', '1999'];
    for (const id of broken) await failCampaignResume(knex, id, `campaign ${id} is locked by billing`);
    // A host-side job that is not on a Breakwater service: only its campaign's resume brings it back.
    await knex.raw(`INSERT INTO jobs (campaign_id, service, status, error) VALUES (42, 'crm-sync', 'PAUSED', 'held')`);
    const bw = breakwaterOn(repository, 500);

    const report = await bw.resumeQueue();
    expect(report.campaignsEligible).toBe(2_000);
    expect(report.campaignsResumed).toBe(1_997);
    expect(report.campaignResumeErrors).toEqual(broken.map((id) => `Campaign ${id}: campaign ${id} is locked by billing`));
    // The per-service sum (step 5); the host's own job came back with its campaign (step 6), counted apart.
    expect(report.jobsResumed).toBe(12_000);
    expect(report.campaignJobsResumed).toBe(1);

    const resumed = await documentQueries(knex);
    expect(resumed.campaignsByStatus).toEqual({ RUNNING: 1_997, PAUSED: 3 });
    expect(resumed.resumedMessages).toHaveLength(1_997);
    expect(resumed.jobsByStatus).toEqual({ PENDING: 12_001 });
    expect(resumed.jobsCleared).toBe(12_001);
    const stillPaused = await knex.raw(`SELECT id::text, status_message FROM campaigns WHERE status = 'PAUSED' ORDER BY campaigns.id`);
    expect(stillPaused.rows).toEqual(broken.map((id) => ({ id, status_message: CAMPAIGN_PAUSED_MESSAGE })));
    await bw.close();
  });
});
