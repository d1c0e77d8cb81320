/** Inputs checked at the boundary, failing at once with a message that names what was expected. */
import { InMemoryCampaignRepository, InMemoryCircuitBreakerStore, InMemoryQueueStore, createBreakwater } from '@breakwater/core';
import { afterAll, describe, expect, it } from 'vitest';

const repository = new InMemoryCampaignRepository();
const bw = createBreakwater({
  services: ['apollo'],
  breakerStore: new InMemoryCircuitBreakerStore(),
  queueStore: new InMemoryQueueStore(),
  campaigns: repository,
  reconcileIntervalMs: 0,
});
afterAll(() => bw.close());

describe('the boundary', () => {
  it.each(['', '   ', undefined])('refuses a trip without a reason (%o), opening nothing', async (reason) => {
    await expect(bw.breakers.trip('apollo', reason as string)).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: 'A trip needs a reason: a non-empty string saying why the breaker is forced open',
    });
    expect((await bw.breakers.get('apollo')).state).toBe('closed');
  });

  it('refuses a job for a service it does not guard, storing nothing', async () => {
    const campaign = await bw.campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    await expect(bw.campaigns.enqueueJob({ campaignId: campaign.id, service: 'apolo' })).rejects.toMatchObject({
      code: 'UNKNOWN_SERVICE',
      message: 'Unknown service: apolo',
    });
    expect(await repository.listJobs({ campaignId: campaign.id })).toEqual([]);
    await expect(bw.campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' })).resolves.toMatchObject({ service: 'apollo' });
  });
});
