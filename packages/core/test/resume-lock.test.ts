/** Step 1 and step 7: one resume at a time, and the lock released on every path. */
import { InMemoryQueueStore, ResumeInProgressError, StoreError } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { documentScenario, failUntilOpen } from './support/document-scenario';

describe('the resume lock', () => {
  it('lets exactly one of two concurrent resumes run; the other changes nothing', async () => {
    const { bw, campaigns } = await documentScenario();
    await failUntilOpen(bw, 'apollo', 'down');
    await bw.breakers.reset('apollo');

    const results = await Promise.allSettled([bw.resumeQueue(), bw.resumeQueue()]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toBeInstanceOf(ResumeInProgressError);
    expect(await campaigns.countCampaignsByStatus()).toMatchObject({ RUNNING: 8 });
    expect(await bw.queueStore.isResumeLocked()).toBe(false);
  });

  it('is released after a blocked resume and after a failing store', async () => {
    const queueStore = new InMemoryQueueStore();
    const { bw, campaigns } = await documentScenario({ queueStore });
    await failUntilOpen(bw, 'apollo', 'down');
    await expect(bw.resumeQueue()).rejects.toThrow('Cannot resume queue');
    expect(await queueStore.isResumeLocked()).toBe(false);

    await bw.breakers.reset('apollo');
    const original = campaigns.resumeJobsForService.bind(campaigns);
    campaigns.resumeJobsForService = async () => {
      throw new Error('connection reset');
    };
    const failure = await bw.resumeQueue().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as Error).message).toBe('CampaignRepository.resumeJobsForService failed: connection reset');
    expect(await queueStore.isResumeLocked()).toBe(false);

    campaigns.resumeJobsForService = original;
    await expect(bw.resumeQueue()).resolves.toMatchObject({ campaignsResumed: 8, jobsResumed: 15 });
  });

  it('still returns the report when only saving it fails', async () => {
    const queueStore = new InMemoryQueueStore();
    const { bw, logger } = await documentScenario({ queueStore });
    await failUntilOpen(bw, 'apollo', 'down');
    await bw.breakers.reset('apollo');
    queueStore.saveLastReport = async () => {
      throw new Error('disk full');
    };
    await expect(bw.resumeQueue()).resolves.toMatchObject({ queueResumed: true, campaignsResumed: 8 });
    expect(logger.messages()).toContain('Could not save the resume report');
    expect(await queueStore.isResumeLocked()).toBe(false);
  });

  it('refuses a resume while another process holds the lock', async () => {
    const queueStore = new InMemoryQueueStore();
    const { bw } = await documentScenario({ queueStore });
    const token = await queueStore.acquireResumeLock(10_000);
    await expect(bw.resumeQueue()).rejects.toBeInstanceOf(ResumeInProgressError);
    expect((await bw.status()).resumeInProgress).toBe(true);
    await queueStore.releaseResumeLock(token as string);
    await expect(bw.resumeQueue()).resolves.toMatchObject({ queueResumed: true });
  });
});
