import {
  type Breakwater,
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  createBreakwater,
} from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { completeIfFinished } from './campaign-completion.js';

function breakwater(): Breakwater {
  return createBreakwater({
    services: ['apollo', 'openai'],
    breakerStore: new InMemoryCircuitBreakerStore(),
    queueStore: new InMemoryQueueStore(),
    campaigns: new InMemoryCampaignRepository(),
  });
}

/** A RUNNING campaign with one job per service; `finish` runs each job to the given end. */
async function runningCampaign(bw: Breakwater) {
  const campaign = await bw.campaigns.createCampaign({ name: 'Wave', status: 'RUNNING' });
  for (const service of bw.services) await bw.campaigns.enqueueJob({ campaignId: campaign.id, service, payload: {} });
  const finish = async (service: string, outcome: 'complete' | 'fail') => {
    const [job] = await bw.campaigns.claimJobs({ service, workerId: 'w', limit: 1, leaseMs: 60_000 });
    if (!job) throw new Error(`no job to claim on ${service}`);
    if (outcome === 'complete') await bw.campaigns.completeJob({ jobId: job.id, workerId: 'w', result: 'ok' });
    else await bw.campaigns.failJob({ jobId: job.id, workerId: 'w', error: 'HTTP 400', retryInMs: null });
  };
  return { id: campaign.id, finish };
}

describe('completeIfFinished', () => {
  it('leaves a campaign running while some job is unfinished', async () => {
    const bw = breakwater();
    const campaign = await runningCampaign(bw);
    await campaign.finish('apollo', 'complete');
    expect(await completeIfFinished(bw, campaign.id)).toBe(false);
    expect((await bw.campaigns.getCampaign(campaign.id))?.status).toBe('RUNNING');
  });

  it('completes it when every job completed', async () => {
    const bw = breakwater();
    const campaign = await runningCampaign(bw);
    await campaign.finish('apollo', 'complete');
    await campaign.finish('openai', 'complete');
    expect(await completeIfFinished(bw, campaign.id)).toBe(true);
    expect(await bw.campaigns.getCampaign(campaign.id)).toMatchObject({ status: 'COMPLETED', statusMessage: 'All 2 jobs completed' });
    // A second check (another worker's) finds nothing to do.
    expect(await completeIfFinished(bw, campaign.id)).toBe(false);
  });

  it('fails it when some job failed for good', async () => {
    const bw = breakwater();
    const campaign = await runningCampaign(bw);
    await campaign.finish('apollo', 'complete');
    await campaign.finish('openai', 'fail');
    expect(await completeIfFinished(bw, campaign.id)).toBe(true);
    expect(await bw.campaigns.getCampaign(campaign.id)).toMatchObject({ status: 'FAILED', statusMessage: '1 of 2 jobs failed' });
  });

  it('leaves a paused campaign to the queue resume, then completes it', async () => {
    const bw = breakwater();
    const campaign = await runningCampaign(bw);
    await campaign.finish('apollo', 'complete');
    await campaign.finish('openai', 'complete');
    await bw.campaigns.transitionCampaign(campaign.id, 'PAUSED', 'Paused: circuit breaker open for apollo');
    expect(await completeIfFinished(bw, campaign.id)).toBe(false);
    expect((await bw.campaigns.getCampaign(campaign.id))?.status).toBe('PAUSED');
    await bw.resumeQueue();
    expect(await completeIfFinished(bw, campaign.id)).toBe(true);
    expect((await bw.campaigns.getCampaign(campaign.id))?.status).toBe('COMPLETED');
  });
});
