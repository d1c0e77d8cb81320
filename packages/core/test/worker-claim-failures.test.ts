/**
 * A worker whose claims keep failing (its store is down) says so through its `error` event and its logger,
 * once per attempt, and backs off exponentially instead of retrying every poll; it claims again, and says
 * so, once the store answers.
 */
import { InMemoryCampaignRepository, InMemoryCircuitBreakerStore, InMemoryQueueStore, createBreakwater } from '@breakwater/core';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLogger } from './support/recording-logger';
import { waitFor } from './support/wait-for';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('a worker whose claims fail', () => {
  it('emits error with the growing delay, is not hurried by wake-ups, and claims again once the store answers', async () => {
    const campaigns = new InMemoryCampaignRepository();
    const logger = recordingLogger();
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      campaigns,
      logger,
      reconcileIntervalMs: 0,
    });
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    let storeDown = true;
    let attempts = 0;
    const claimJobs = campaigns.claimJobs.bind(campaigns);
    campaigns.claimJobs = async (input) => {
      attempts += 1;
      if (storeDown) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      return claimJobs(input);
    };
    const worker = bw.createWorker({ service: 'apollo', handler: async () => 'sent', pollIntervalMs: 20 });
    const errors: { during: string; retryInMs: number | null; message: string }[] = [];
    worker.events.on('error', (event) =>
      errors.push({ during: event.during, retryInMs: event.retryInMs, message: (event.error as Error).message }),
    );
    cleanups.push(() => worker.stop({ graceful: false }));
    await worker.start();

    await waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(4), 5_000);
    expect(errors.slice(0, 4)).toEqual(
      [20, 40, 80, 160].map((retryInMs) => ({
        during: 'claim',
        retryInMs,
        message: 'CampaignRepository.claimJobs failed: connect ECONNREFUSED 127.0.0.1:5432',
      })),
    );
    // A new job wakes an idle worker at once, but not one backing off: it would only fail again.
    const before = attempts;
    const job = await bw.campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(attempts).toBe(before);
    expect(logger.messages()).toContain('Worker ' + worker.id + ' could not claim jobs (1 failed in a row); trying again in 20 ms');

    storeDown = false;
    await waitFor(async () => expect(await campaigns.getJob(job.id)).toMatchObject({ status: 'COMPLETED' }), 10_000);
    expect(logger.messages().some((message) => /^Worker .* claims jobs again after \d+ failed attempts$/.test(message))).toBe(true);
  });

  it('stops at once while backing off', async () => {
    const campaigns = new InMemoryCampaignRepository();
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      campaigns,
      reconcileIntervalMs: 0,
    });
    campaigns.claimJobs = async () => {
      throw new Error('down');
    };
    const worker = bw.createWorker({ service: 'apollo', handler: async () => 'sent', pollIntervalMs: 10_000 });
    const failed = new Promise((resolve) => worker.events.once('error', resolve));
    await worker.start();
    await failed;
    const startedAt = Date.now();
    await worker.stop();
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });
});
