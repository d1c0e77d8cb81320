/** Breakers first, campaigns later: an instance without a campaign repository. */
import { InMemoryCircuitBreakerStore, InMemoryQueueStore, PrerequisitesNotMetError, createBreakwater } from '@breakwater/core';
import { afterEach, describe, expect, it } from 'vitest';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const bw of open.splice(0)) await bw.close();
});

function breakwaterWithoutCampaigns() {
  const bw = createBreakwater({
    services: ['apollo', 'openai'],
    breakerStore: new InMemoryCircuitBreakerStore(),
    queueStore: new InMemoryQueueStore(),
    policy: { failureThreshold: 1 },
    reconcileIntervalMs: 0,
  });
  open.push(bw);
  return bw;
}

describe('an instance without a campaign repository', () => {
  it('has breakers, queue states and the resume of the queues', async () => {
    const bw = breakwaterWithoutCampaigns();
    expect(await bw.breakers.execute('apollo', async () => 'leads')).toBe('leads');
    const outage = new Error('HTTP 503');
    await expect(bw.breakers.execute('apollo', () => Promise.reject(outage))).rejects.toBe(outage);
    expect((await bw.queueStore.getStates(['apollo']))[0]?.state).toBe('PAUSED');
    const status = await bw.status();
    expect(status).toMatchObject({ canResume: false, campaigns: { RUNNING: 0, PAUSED: 0 }, jobs: { PENDING: 0 } });
    await expect(bw.resumeQueue()).rejects.toBeInstanceOf(PrerequisitesNotMetError);

    // Reset resumes nothing; the queue resume brings the queue back.
    await bw.breakers.reset('apollo');
    await expect(bw.breakers.execute('apollo', async () => 'leads')).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(await bw.resumeQueue()).toMatchObject({
      queueResumed: true,
      jobsResumed: 0,
      campaignsResumed: 0,
      message: 'Queue resumed successfully: 0 jobs and 0 campaigns resumed',
    });
    expect(await bw.breakers.execute('apollo', async () => 'leads')).toBe('leads');
  });

  it('refuses to store campaigns or jobs, or to make a worker, saying what to add', async () => {
    const bw = breakwaterWithoutCampaigns();
    const needsRepository = /needs a campaign repository: pass "campaigns" to createBreakwater/;
    await expect(bw.campaigns.createCampaign({ name: 'c' })).rejects.toThrow(needsRepository);
    await expect(bw.campaigns.enqueueJob({ campaignId: '1', service: 'apollo' })).rejects.toThrow(needsRepository);
    expect(() => bw.createWorker({ service: 'apollo', handler: async () => 'sent' })).toThrow(
      'createWorker needs a campaign repository to take jobs from: pass "campaigns" to createBreakwater',
    );
  });
});
