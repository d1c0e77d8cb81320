/**
 * Two app processes' Breakwater instances sharing Redis (and one campaign store): a resume run by
 * one wakes the other's idle worker at once through the pub/sub notifications, and a trip in one
 * keeps the other's worker from claiming.
 */
import { InMemoryCampaignRepository, type Worker, createBreakwater } from '@breakwater/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore, RedisQueueStore } from '../src/index.js';
import { closeAll, closeLater, connectRedis, randomPrefix, sleep, waitUntil } from './redis-clients.js';

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop({ graceful: false })));
});
afterAll(closeAll);

function instance(keyPrefix: string, campaigns: InMemoryCampaignRepository) {
  const redis = connectRedis();
  return createBreakwater({
    services: ['apollo'],
    breakerStore: closeLater(new RedisCircuitBreakerStore({ redis, keyPrefix })),
    queueStore: closeLater(new RedisQueueStore({ redis, keyPrefix })),
    campaigns,
  });
}

describe('workers across processes', () => {
  it("wake at once on another process's resume, and stay idle while its trip holds", async () => {
    const keyPrefix = randomPrefix();
    const campaigns = new InMemoryCampaignRepository();
    const operator = instance(keyPrefix, campaigns);
    const appServer = instance(keyPrefix, campaigns);
    const remoteResumes: boolean[] = [];
    appServer.events.on('service:resumed', (event) => remoteResumes.push(event.remote));

    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    await operator.breakers.trip('apollo', 'maintenance');
    const job = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    expect(job.status).toBe('PAUSED');

    // A poll interval far longer than the test: only a notification can wake this worker.
    const worker = appServer.createWorker({ service: 'apollo', handler: async () => 'done', pollIntervalMs: 600_000 });
    workers.push(worker);
    await worker.start();
    await operator.breakers.reset('apollo');
    await sleep(100);
    expect((await campaigns.getJob(job.id))?.status).toBe('PAUSED');

    await operator.resumeQueue();
    expect(await waitUntil(async () => (await campaigns.getJob(job.id))?.status === 'COMPLETED', 3_000)).toBe(true);
    expect(remoteResumes).toContain(true);
  });
});
