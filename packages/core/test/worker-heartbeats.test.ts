/** Live workers through createBreakwater: heartbeats to the registry, listed by status() with their services' background tasks. */
import { hostname } from 'node:os';
import {
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  InMemoryWorkerRegistry,
  type WorkerRegistry,
  createBreakwater,
} from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { waitFor } from './support/wait-for';

/** `heartbeatMs`: short where a test watches heartbeats change, long where a slow machine must not see a worker go stale. */
function setup(workers: WorkerRegistry | null = new InMemoryWorkerRegistry(), heartbeatMs = 2_000) {
  const campaigns = new InMemoryCampaignRepository();
  const bw = createBreakwater({
    services: ['apollo', 'openai'],
    breakerStore: new InMemoryCircuitBreakerStore(),
    queueStore: new InMemoryQueueStore(),
    campaigns,
    reconcileIntervalMs: 0,
    workerHeartbeatIntervalMs: heartbeatMs,
    ...(workers ? { workers } : {}),
  });
  return { bw, campaigns };
}

describe('worker heartbeats', () => {
  it('status() lists a started worker and its service’s background tasks; a trip pauses them; stop() removes it', async () => {
    const { bw } = setup();
    const worker = bw.createWorker({ service: 'apollo', concurrency: 3, handler: async () => 'done' });
    await worker.start();
    const started = await bw.status();
    expect(started.workers).toEqual([
      {
        workerId: worker.id,
        service: 'apollo',
        pid: process.pid,
        hostname: hostname(),
        concurrency: 3,
        jobsInFlight: 0,
        startedAt: expect.any(Number),
        lastSeenAt: expect.any(Number),
      },
    ]);
    expect(started.backgroundTasks).toEqual([
      { service: 'apollo', state: 'active', workers: 1, jobsInFlight: 0 },
      { service: 'openai', state: 'stopped', workers: 0, jobsInFlight: 0 },
    ]);

    await bw.breakers.trip('apollo', 'down');
    expect((await bw.status()).backgroundTasks?.[0]).toMatchObject({ service: 'apollo', state: 'paused', workers: 1 });

    await worker.stop();
    expect((await bw.status()).workers).toEqual([]);
    await bw.close();
  });

  it('each heartbeat reports the jobs in flight', async () => {
    const { bw, campaigns } = setup(new InMemoryWorkerRegistry(), 50);
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    await campaigns.enqueueJob({ campaignId: campaign.id, service: 'openai' });
    await campaigns.enqueueJob({ campaignId: campaign.id, service: 'openai' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const worker = bw.createWorker({ service: 'openai', concurrency: 2, handler: () => held });
    await worker.start();
    await waitFor(async () => expect((await bw.status()).backgroundTasks?.[1]).toMatchObject({ state: 'active', jobsInFlight: 2 }));
    release();
    await waitFor(async () => expect((await bw.status()).workers?.[0]?.jobsInFlight).toBe(0));
    await worker.stop();
    await bw.close();
  });

  it('a registry that fails never stops the worker: it is logged and emitted as store:error', async () => {
    const failing: WorkerRegistry = {
      beat: async () => {
        throw new Error('registry down');
      },
      list: async () => [],
      remove: async () => {
        throw new Error('registry down');
      },
    };
    const { bw, campaigns } = setup(failing, 50);
    const errors: string[] = [];
    bw.events.on('store:error', ({ during }) => errors.push(during));
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    const job = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    const worker = bw.createWorker({ service: 'apollo', pollIntervalMs: 5, handler: async () => 'sent' });
    await worker.start();
    await waitFor(async () => expect(await campaigns.getJob(job.id)).toMatchObject({ status: 'COMPLETED' }));
    await worker.stop();
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(new Set(errors)).toEqual(new Set(['worker-heartbeat']));
    await bw.close();
  });

  it('without a registry, status() reports no workers rather than guess', async () => {
    const { bw } = setup(null);
    const worker = bw.createWorker({ service: 'apollo', handler: async () => null });
    await worker.start();
    expect(await bw.status()).toMatchObject({ workers: null, backgroundTasks: null });
    await worker.stop();
    await bw.close();
  });
});
