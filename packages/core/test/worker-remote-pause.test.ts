/**
 * A pause another process began, heard through a store's subscription while this worker's claim is returning:
 * the claimed job goes back untouched, although every read of this process's own stores still says closed
 * and ACTIVE (the other process's writes have not reached them yet).
 */
import {
  type BreakerChange,
  type ClaimJobsInput,
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  type Job,
  type QueueChange,
  type Worker,
  closedRecord,
  createBreakwater,
} from '@breakwater/core';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './support/wait-for';

const running: Worker[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((worker) => worker.stop({ graceful: false })));
});

/** A breaker store that hears other processes' changes when the test delivers them, and only then. */
class HearingBreakerStore extends InMemoryCircuitBreakerStore {
  private readonly listeners: ((change: BreakerChange) => void)[] = [];
  subscribe(listener: (change: BreakerChange) => void) {
    this.listeners.push(listener);
    return () => {};
  }
  hear(change: BreakerChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

class HearingQueueStore extends InMemoryQueueStore {
  private readonly listeners: ((change: QueueChange) => void)[] = [];
  subscribe(listener: (change: QueueChange) => void) {
    this.listeners.push(listener);
    return () => {};
  }
  hear(change: QueueChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** Holds every claim that took jobs until the test lets it return, so a change can be heard in between. */
class HeldClaims extends InMemoryCampaignRepository {
  claimed = false;
  private release = () => {};
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));
  override async claimJobs(input: ClaimJobsInput): Promise<Job[]> {
    const jobs = await super.claimJobs(input);
    if (jobs.length > 0) {
      this.claimed = true;
      await this.released;
    }
    return jobs;
  }
  letClaimsReturn(): void {
    this.release();
  }
}

const REMOTE_PAUSES = {
  "another process's trip (breaker opened)": (stores: { breakerStore: HearingBreakerStore; queueStore: HearingQueueStore }) =>
    stores.breakerStore.hear({
      service: 'apollo',
      transition: 'opened',
      record: { ...closedRecord('apollo', Date.now()), state: 'open', latched: true, tripCount: 1 },
    }),
  "another process's cascade (queue paused)": (stores: { breakerStore: HearingBreakerStore; queueStore: HearingQueueStore }) =>
    stores.queueStore.hear({
      kind: 'queue',
      service: 'apollo',
      state: { service: 'apollo', state: 'PAUSED', reason: 'Circuit breaker open for apollo: outage', updatedAt: Date.now() },
    }),
};

describe('a worker hearing of a pause another process began', () => {
  it.each(Object.entries(REMOTE_PAUSES))('between its claim and the handler does not start the job: %s', async (_, pauseElsewhere) => {
    const stores = { breakerStore: new HearingBreakerStore(), queueStore: new HearingQueueStore() };
    const campaigns = new HeldClaims();
    const bw = createBreakwater({ services: ['apollo'], ...stores, campaigns });
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    const job = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    const started: string[] = [];
    const worker = bw.createWorker({
      service: 'apollo',
      handler: async (run) => {
        started.push(run.id);
        return 'ok';
      },
      pollIntervalMs: 10,
    });
    running.push(worker);
    await worker.start();

    await waitFor(() => expect(campaigns.claimed).toBe(true));
    pauseElsewhere(stores);
    campaigns.letClaimsReturn();

    await waitFor(async () => expect((await campaigns.getJob(job.id))?.status).not.toBe('PROCESSING'));
    expect(await campaigns.getJob(job.id)).toMatchObject({ status: 'PAUSED', attempts: 0 });
    expect(started).toEqual([]);
    // Only the pause epoch knew: this process's own stores still let the call through.
    expect(await bw.breakers.shouldAllowRequest('apollo')).toMatchObject({ allowed: true });
  });
});
