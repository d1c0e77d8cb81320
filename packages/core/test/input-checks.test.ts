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
    // A typo the compiler already refuses, as a JavaScript caller or a name read at run time could pass it.
    // @ts-expect-error not a configured service
    await expect(bw.campaigns.enqueueJob({ campaignId: campaign.id, service: 'apolo' })).rejects.toMatchObject({
      code: 'UNKNOWN_SERVICE',
      message: 'Unknown service: apolo',
    });
    expect(await repository.listJobs({ campaignId: campaign.id })).toEqual([]);
    await expect(
      bw.campaigns.enqueueJobs([
        { campaignId: campaign.id, service: 'apollo' },
        // @ts-expect-error not a configured service
        { campaignId: campaign.id, service: 'apolo' },
      ]),
    ).rejects.toMatchObject({ code: 'UNKNOWN_SERVICE', message: 'Unknown service: apolo' });
    expect(await repository.listJobs({ campaignId: campaign.id })).toEqual([]);
    await expect(bw.campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' })).resolves.toMatchObject({ service: 'apollo' });
  });
});

describe('execute', () => {
  it('refuses a bad option before the call runs, and records nothing', async () => {
    let ran = false;
    const call = async () => {
      ran = true;
    };
    await expect(bw.breakers.execute('apollo', call, { timeoutMs: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(bw.breakers.execute('apollo', 'not a function' as never)).rejects.toThrow(
      'execute needs a function: (signal) => Promise<result>',
    );
    expect(ran).toBe(false);
    expect((await bw.breakers.get('apollo')).failureCount).toBe(0);
  });

  it('takes a function that returns a plain value: it has run, so its value is returned and its success recorded', async () => {
    expect(await bw.breakers.execute('apollo', (() => 42) as never)).toBe(42);
  });
});
