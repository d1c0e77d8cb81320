/**
 * Workers woken by another Breakwater sharing Redis: a resume run by one instance wakes the other's idle
 * worker at once through the pub/sub notifications, and a trip in one keeps the other's worker from claiming.
 * Once with both instances in this process over one campaign repository (the whole flow: the cascade pauses
 * the job, the resume gives it back), once with the worker in a real child process, where only Redis and
 * its notifications cross the process boundary (the child's jobs are in its own repository).
 */
import { InMemoryCampaignRepository, type Worker, createBreakwater } from '@breakwater/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore, RedisQueueStore } from '../src/index.js';
import { BreakwaterProcess } from './breakwater-processes.js';
import type { RecordedEvent } from './fixtures/breakwater-process.js';
import { closeAll, closeLater, connectRedis, randomPrefix, sleep, waitUntil } from './redis-clients.js';

/** A poll interval far longer than the tests: only a notification can wake these workers. */
const NEVER_POLLS_MS = 600_000;

const workers: Worker[] = [];
const children: BreakwaterProcess[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop({ graceful: false })));
  await Promise.all(children.splice(0).map((child) => child.stop()));
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

describe('a worker woken by another Breakwater instance', () => {
  it("in this process wakes at once on the other's resume, and stays idle while its trip holds", async () => {
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

    const worker = appServer.createWorker({ service: 'apollo', handler: async () => 'done', pollIntervalMs: NEVER_POLLS_MS });
    workers.push(worker);
    await worker.start();
    await operator.breakers.reset('apollo');
    await sleep(100);
    expect((await campaigns.getJob(job.id))?.status).toBe('PAUSED');

    await operator.resumeQueue();
    expect(await waitUntil(async () => (await campaigns.getJob(job.id))?.status === 'COMPLETED', 3_000)).toBe(true);
    expect(remoteResumes).toContain(true);
  });

  it("in another process wakes at once on this process's resume, and stays idle while its trip holds", async () => {
    const keyPrefix = randomPrefix();
    const operator = instance(keyPrefix, new InMemoryCampaignRepository());
    const appServer = BreakwaterProcess.start({ keyPrefix });
    children.push(appServer);
    await appServer.ready();
    const status = (jobId: string) => appServer.request<string | null>({ type: 'job-status', jobId });

    await operator.breakers.trip('apollo', 'maintenance');
    await appServer.request({ type: 'start-worker', service: 'apollo', pollIntervalMs: NEVER_POLLS_MS });
    const jobId = await appServer.request<string>({ type: 'enqueue', service: 'apollo' });
    await sleep(200);
    expect(await status(jobId), 'claimed while the queue is paused').toBe('PENDING');

    await operator.breakers.reset('apollo');
    await sleep(200);
    expect(await status(jobId), 'a closed breaker does not resume the queue').toBe('PENDING');

    await operator.resumeQueue();
    expect(await waitUntil(async () => (await status(jobId)) === 'COMPLETED', 3_000)).toBe(true);
    const heard = (await appServer.events()).filter((event: RecordedEvent) => event.name === 'service:resumed');
    expect(heard).toEqual([{ name: 'service:resumed', service: 'apollo', remote: true }]);
  });
});
