import { InMemoryCampaignRepository, InMemoryCircuitBreakerStore, InMemoryQueueStore, createBreakwater } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { launchCampaign } from './campaign-launch.js';
import { SERVICE_NAMES } from './simulated-services.js';

function breakwater() {
  return createBreakwater({
    services: SERVICE_NAMES,
    breakerStore: new InMemoryCircuitBreakerStore(),
    queueStore: new InMemoryQueueStore(),
    campaigns: new InMemoryCampaignRepository(),
  });
}

describe('launchCampaign', () => {
  it('creates one job per lead on every service and starts the campaign', async () => {
    const bw = breakwater();
    const { campaign, jobs } = await launchCampaign(bw, { name: 'Wave 1', leads: 2 });
    expect(jobs).toBe(10);
    expect(campaign).toMatchObject({ name: 'Wave 1', status: 'RUNNING', statusMessage: 'Campaign started' });
    const stored = await bw.campaigns.listJobs({ campaignId: campaign.id });
    expect(stored.map((job) => job.service)).toEqual([...SERVICE_NAMES, ...SERVICE_NAMES]);
    expect(stored.every((job) => job.status === 'PENDING')).toBe(true);
  });

  it('pauses a campaign launched while a service is paused, until the queue resume', async () => {
    const bw = breakwater();
    await bw.breakers.trip('apollo', 'maintenance');
    const { campaign } = await launchCampaign(bw, { name: 'During the outage', leads: 1 });
    expect(campaign).toMatchObject({ status: 'PAUSED', statusMessage: 'Paused: circuit breaker open for apollo' });
    const jobs = await bw.campaigns.listJobs({ campaignId: campaign.id });
    expect(jobs.find((job) => job.service === 'apollo')?.status).toBe('PAUSED');
    expect(jobs.filter((job) => job.service !== 'apollo').every((job) => job.status === 'PENDING')).toBe(true);

    await bw.breakers.reset('apollo');
    const report = await bw.resumeQueue();
    expect(report).toMatchObject({ jobsResumed: 1, campaignsResumed: 1 });
    expect(await bw.campaigns.getCampaign(campaign.id)).toMatchObject({
      status: 'RUNNING',
      statusMessage: 'Campaign resumed - services are available',
    });
  });
});
