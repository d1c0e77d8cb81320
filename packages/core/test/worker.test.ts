/** The worker: resumed work really flows, and the breaker never costs a job. */
import {
  type Breakwater,
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  type Job,
  type Worker,
  type WorkerOptions,
  createBreakwater,
} from '@breakwater/core';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom, withRandomDelays } from './support/delaying-proxy';
import { withStaleReads } from './support/stale-reads';
import { waitFor } from './support/wait-for';

const SERVICES = ['apollo', 'perplexity', 'openai', 'instantly', 'millionverifier'] as const;
const running: Worker[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((worker) => worker.stop({ graceful: false })));
});

function setup(options: { failureThreshold?: number } = {}) {
  const campaigns = new InMemoryCampaignRepository();
  const bw = createBreakwater({
    services: SERVICES,
    breakerStore: new InMemoryCircuitBreakerStore(),
    queueStore: new InMemoryQueueStore(),
    campaigns,
    policy: { failureThreshold: options.failureThreshold ?? 3, resetTimeoutMs: 60_000 },
  });
  return { bw, campaigns };
}

async function seed(campaigns: InMemoryCampaignRepository, campaignCount: number, jobsPerService: number) {
  for (let c = 0; c < campaignCount; c += 1) {
    const campaign = await campaigns.createCampaign({ name: `campaign ${c}`, status: 'RUNNING' });
    for (const service of SERVICES) {
      for (let j = 0; j < jobsPerService; j += 1)
        await campaigns.enqueueJob({ campaignId: campaign.id, service, payload: { lead: `${c}-${j}` } });
    }
  }
}

async function startWorker(
  bw: Breakwater,
  service: string,
  handler: (job: Job, context: { signal: AbortSignal }) => Promise<unknown>,
  extra: Partial<WorkerOptions> = {},
) {
  const worker = bw.createWorker({ service, handler, concurrency: 4, pollIntervalMs: 10, backoff: () => 1, ...extra });
  running.push(worker);
  await worker.start();
  return worker;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('workers', () => {
  it('run every job of every service to COMPLETED, keeping the results', async () => {
    const { bw, campaigns } = setup();
    await seed(campaigns, 4, 5);
    for (const service of SERVICES)
      await startWorker(bw, service, async (job) => ({ service, lead: (job.payload as { lead: string }).lead }));
    await waitFor(async () => expect((await campaigns.countJobsByStatus()).COMPLETED).toBe(100));
    const [job] = await campaigns.listJobs({ service: 'openai', limit: 1 });
    expect(job).toMatchObject({ status: 'COMPLETED', attempts: 1, error: null, result: { service: 'openai', lead: '0-0' } });
  });

  it('pause everything when a service starts failing, lose nothing, and finish after reset + resume', async () => {
    const { bw, campaigns } = setup({ failureThreshold: 3 });
    await seed(campaigns, 5, 6);
    let perplexityDown = false;
    const jobEvents: string[] = [];
    for (const service of SERVICES) {
      const worker = await startWorker(
        bw,
        service,
        async () => {
          await tick();
          if (service === 'perplexity' && perplexityDown) throw Object.assign(new Error('HTTP 503 from perplexity'), { status: 503 });
          return 'ok';
        },
        { maxAttempts: 2 },
      );
      worker.events.on('job:paused', () => jobEvents.push('paused'));
      worker.events.on('job:failed', () => jobEvents.push('failed'));
    }
    await waitFor(async () => expect((await campaigns.countJobsByStatus()).COMPLETED).toBeGreaterThan(20));
    perplexityDown = true;
    await waitFor(async () => expect((await bw.breakers.get('perplexity')).state).toBe('open'));
    // Let in-flight work settle: everything for perplexity ends PAUSED, nothing FAILED.
    await waitFor(async () => {
      const counts = await campaigns.countJobsByStatus({ service: 'perplexity' });
      expect(counts.PROCESSING + counts.PENDING).toBe(0);
    });
    const during = await campaigns.countJobsByStatus();
    expect(during.FAILED).toBe(0);
    expect(Object.values(during).reduce((a, b) => a + b, 0)).toBe(150);
    expect((await campaigns.countCampaignsByStatus()).RUNNING).toBe(0);
    expect(jobEvents).not.toContain('failed');

    perplexityDown = false;
    await bw.breakers.reset('perplexity');
    const report = await bw.resumeQueue();
    expect(report.campaignsResumed).toBe(5);
    await waitFor(async () => expect((await campaigns.countJobsByStatus()).COMPLETED).toBe(150));
    const paused = (await campaigns.listJobs({ service: 'perplexity' })).filter((job) => job.attempts > 1);
    // A job stopped by the breaker got its attempt back: at most the failures before the trip count.
    expect(paused.every((job) => job.attempts <= 2)).toBe(true);
  });

  it('never start a job after a pause of its service has returned, under random interleavings', async () => {
    for (let seedValue = 1; seedValue <= 40; seedValue += 1) {
      const random = seededRandom(seedValue);
      const campaigns = new InMemoryCampaignRepository();
      const bw = createBreakwater({
        services: ['apollo'],
        breakerStore: withRandomDelays(new InMemoryCircuitBreakerStore(), random),
        queueStore: withRandomDelays(new InMemoryQueueStore(), random),
        campaigns: withRandomDelays(campaigns, random),
      });
      const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
      for (let j = 0; j < 30; j += 1) await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
      let pauseReturned = false;
      const startedAfterPause: string[] = [];
      const worker = await startWorker(bw, 'apollo', async (job) => {
        if (pauseReturned) startedAfterPause.push(job.id);
        await tick();
        return 'ok';
      });
      await new Promise((resolve) => setTimeout(resolve, random() * 6));
      await bw.breakers.trip('apollo', 'outage');
      pauseReturned = true;
      await new Promise((resolve) => setTimeout(resolve, 15));
      await worker.stop();
      expect(startedAfterPause, `seed ${seedValue}`).toEqual([]);
      const counts = await campaigns.countJobsByStatus();
      expect(counts.PENDING + counts.PROCESSING + counts.FAILED, `seed ${seedValue}`).toBe(0);
      expect(counts.COMPLETED + counts.PAUSED, `seed ${seedValue}`).toBe(30);
    }
  });

  it.each([
    ["the stores' local views", true],
    ["the stores' answers from their server (get, getStates)", false],
  ])('put a claimed job back instead of starting it when a pause began after the claim, even on stale reads: %s', async (_, localView) => {
    // The trip happens while the claim returns; every breaker and queue read the call makes after it answers with
    // the state from before the trip (as a near-cache may): only the pause epoch, checked right before the handler, stops it.
    const campaigns = new InMemoryCampaignRepository();
    let staleReads = false;
    const isStale = () => staleReads;
    let tripped = () => {};
    const trippedDuringClaim = new Promise<void>((resolve) => (tripped = resolve));
    let claimed = false;
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore: withStaleReads(new InMemoryCircuitBreakerStore(), 'breaker', isStale, { localView }),
      queueStore: withStaleReads(new InMemoryQueueStore(), 'queue', isStale, { localView }),
      campaigns: new Proxy(campaigns, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (property !== 'claimJobs') return typeof value === 'function' ? value.bind(target) : value;
          return async (...args: Parameters<InMemoryCampaignRepository['claimJobs']>) => {
            const jobs = await target.claimJobs(...args);
            if (jobs.length > 0) {
              claimed = true;
              await trippedDuringClaim;
              staleReads = true;
            }
            return jobs;
          };
        },
      }),
    });
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    const job = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    const started: string[] = [];
    await startWorker(bw, 'apollo', async (run) => {
      started.push(run.id);
      return 'ok';
    });
    await waitFor(() => expect(claimed).toBe(true));
    await bw.breakers.trip('apollo', 'outage');
    tripped();
    await waitFor(async () => expect(await campaigns.getJob(job.id)).toMatchObject({ status: 'PAUSED', attempts: 0 }));
    expect(started).toEqual([]);
  });

  it('record a finished job as COMPLETED while the breaker store is down: it never runs twice', async () => {
    const campaigns = new InMemoryCampaignRepository();
    const breakerStore = new InMemoryCircuitBreakerStore();
    let breakerStoreDown = false;
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore: new Proxy(breakerStore, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) =>
            breakerStoreDown && property !== 'initialize'
              ? Promise.reject(new Error('Redis not reachable within 2000 ms'))
              : (value as (...a: unknown[]) => unknown).apply(target, args);
        },
      }),
      queueStore: new InMemoryQueueStore(),
      campaigns,
    });
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    const job = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    let runs = 0;
    await startWorker(bw, 'apollo', async () => {
      runs += 1;
      // The breaker store goes down while the handler runs: recording the success fails.
      breakerStoreDown = true;
      return 'sent';
    });
    await waitFor(async () => expect(await campaigns.getJob(job.id)).toMatchObject({ status: 'COMPLETED', result: 'sent' }));
    expect(runs).toBe(1);
  });

  it('put a job back without spending an attempt when the breaker cannot be asked (its store failed)', async () => {
    const campaigns = new InMemoryCampaignRepository();
    const breakerStore = new InMemoryCircuitBreakerStore();
    let failPermits = false;
    // Closed in the store, but the engine's read fails: as a breaker store going down between claim and call
    // (its near-cache dropped with the connection, so it knows nothing locally either).
    const localView = breakerStore.localView.bind(breakerStore);
    breakerStore.localView = (service) => {
      const view = localView(service);
      return { peek: (now) => (failPermits ? undefined : view.peek(now)) };
    };
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore,
      queueStore: new InMemoryQueueStore(),
      campaigns,
      policy: { failureThreshold: 1 },
    });
    await bw.breakers.recordFailure('apollo', { reason: 'down' });
    await bw.breakers.reset('apollo');
    await bw.resumeQueue();
    const get = breakerStore.get.bind(breakerStore);
    breakerStore.get = async (...args) => {
      if (failPermits) throw new Error('Redis not reachable within 2000 ms');
      return get(...args);
    };
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    const job = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    const released: string[] = [];
    const worker = bw.createWorker({ service: 'apollo', handler: async () => 'sent', pollIntervalMs: 10_000 });
    worker.events.on('job:released', (event) => {
      released.push(event.reason);
      failPermits = false;
    });
    running.push(worker);
    // Fail only the engine's read inside execute, after the worker's own pre-claim reads.
    const claimJobs = campaigns.claimJobs.bind(campaigns);
    campaigns.claimJobs = async (input) => {
      const claimed = await claimJobs(input);
      if (claimed.length > 0) failPermits = true;
      return claimed;
    };
    await worker.start();
    await waitFor(() => expect(released).toHaveLength(1));
    expect(released[0]).toBe('CircuitBreakerStore.get failed: Redis not reachable within 2000 ms');
    expect(await campaigns.getJob(job.id)).toMatchObject({ status: 'PENDING', attempts: 0 });
  });

  it('the same worker started again after a stop without grace runs its jobs with a signal of that run, not aborted', async () => {
    const { bw, campaigns } = setup();
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    const signals: AbortSignal[] = [];
    const worker = await startWorker(
      bw,
      'apollo',
      async (_job, { signal }) => {
        signals.push(signal);
        return signal.aborted ? 'started aborted' : 'ran';
      },
      { concurrency: 1 },
    );
    const first = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    await waitFor(async () => expect((await campaigns.getJob(first.id))?.status).toBe('COMPLETED'));
    // Without grace: this run's signal aborts (the job that ran under it may see it, as documented).
    await worker.stop({ graceful: false });

    await worker.start();
    const second = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    await waitFor(async () => expect(await campaigns.getJob(second.id)).toMatchObject({ status: 'COMPLETED', result: 'ran' }));
    expect(signals).toHaveLength(2);
    expect(signals[1]?.aborted).toBe(false);
  });

  it('hand a job to another worker after a worker stopped without grace mid-job', async () => {
    const { bw, campaigns } = setup();
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    const job = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    let firstRunAborted = false;
    const first = await startWorker(
      bw,
      'apollo',
      (_job, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            firstRunAborted = true;
            reject(signal.reason);
          });
        }),
      { leaseMs: 200, concurrency: 1 },
    );
    await waitFor(async () => expect((await campaigns.getJob(job.id))?.status).toBe('PROCESSING'));
    await first.stop({ graceful: false });
    expect(firstRunAborted).toBe(true);
    expect(await campaigns.getJob(job.id)).toMatchObject({ status: 'PROCESSING', attempts: 1 });

    const seenAttempts: number[] = [];
    await startWorker(
      bw,
      'apollo',
      async (claimed) => {
        seenAttempts.push(claimed.attempts);
        return 'second time lucky';
      },
      { leaseMs: 200 },
    );
    await waitFor(async () =>
      expect(await campaigns.getJob(job.id)).toMatchObject({ status: 'COMPLETED', result: 'second time lucky', attempts: 2 }),
    );
    expect(seenAttempts).toEqual([2]);
    // The abort was ours, not the service's: the breaker counted nothing.
    expect((await bw.breakers.get('apollo')).failureCount).toBe(0);
  });

  it('retry with backoff, then fail for good after maxAttempts, passing 429 Retry-After to the breaker', async () => {
    const { bw, campaigns } = setup({ failureThreshold: 10 });
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    const job = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'openai' });
    const delays: number[] = [];
    const worker = await startWorker(
      bw,
      'openai',
      async () => {
        throw Object.assign(new Error('HTTP 429'), { retryAfterMs: 5_000 });
      },
      { maxAttempts: 3 },
    );
    worker.events.on('job:retrying', (event) => delays.push(event.retryInMs));
    await waitFor(async () => expect(await campaigns.getJob(job.id)).toMatchObject({ status: 'FAILED', error: 'HTTP 429', attempts: 3 }));
    expect(delays).toEqual([1, 1]);
    expect((await bw.breakers.get('openai')).failureCount).toBe(3);
  });

  it('wake at once on a resume even with a long poll interval', async () => {
    const { bw, campaigns } = setup();
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    await bw.breakers.trip('apollo', 'maintenance');
    await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    await startWorker(bw, 'apollo', async () => 'done', { pollIntervalMs: 600_000 });
    await bw.breakers.reset('apollo');
    await bw.resumeQueue();
    await waitFor(async () => expect((await campaigns.countJobsByStatus()).COMPLETED).toBe(1), 2_000);
  });

  it('write completions in batches, and the ones still waiting before stop() returns', async () => {
    const campaigns = new InMemoryCampaignRepository();
    // Every write of completions: alone, or with the claim that refills the slots.
    const writes: number[] = [];
    let holdWrites: Promise<void> | null = null;
    const completeJobs = campaigns.completeJobs.bind(campaigns);
    campaigns.completeJobs = async (input) => {
      writes.push(input.jobs.length);
      await holdWrites;
      return completeJobs(input);
    };
    const completeAndClaimJobs = campaigns.completeAndClaimJobs.bind(campaigns);
    campaigns.completeAndClaimJobs = async (input) => {
      writes.push(input.completions.length);
      await holdWrites;
      return completeAndClaimJobs(input);
    };
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      campaigns,
    });
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    await campaigns.enqueueJobs(Array.from({ length: 40 }, () => ({ campaignId: campaign.id, service: 'apollo' })));
    const worker = await startWorker(bw, 'apollo', async () => 'sent', { concurrency: 20 });
    await waitFor(async () => expect((await campaigns.countJobsByStatus()).COMPLETED).toBe(40));
    expect(writes.reduce((sum, size) => sum + size, 0)).toBe(40);
    expect(writes.length).toBeLessThanOrEqual(10);

    let release = () => {};
    holdWrites = new Promise<void>((resolve) => (release = resolve));
    const writesBefore = writes.length;
    const job = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    await waitFor(() => expect(writes.length).toBe(writesBefore + 1));
    await waitFor(async () => expect((await campaigns.getJob(job.id))?.status).toBe('PROCESSING'));
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await campaigns.getJob(job.id)).toMatchObject({ status: 'COMPLETED', result: 'sent' });
  });

  it('leave a job whose completion could not be written PROCESSING: it runs again after its lease (at-least-once)', async () => {
    const { bw, campaigns } = setup();
    const completeJobs = campaigns.completeJobs.bind(campaigns);
    let failures = 1;
    campaigns.completeJobs = async (input) => {
      if (failures-- > 0) throw new Error('connection lost');
      return completeJobs(input);
    };
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    const job = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    const runs: number[] = [];
    await startWorker(
      bw,
      'apollo',
      async (claimed) => {
        runs.push(claimed.attempts);
        return 'sent';
      },
      { leaseMs: 200, pollIntervalMs: 50 },
    );
    await waitFor(async () => expect(await campaigns.getJob(job.id)).toMatchObject({ status: 'COMPLETED', attempts: 2 }));
    expect(runs).toEqual([1, 2]);
  });

  it('removeOnComplete: true deletes each job it completes; { maxCount } keeps the most recently completed', async () => {
    const { bw, campaigns } = setup();
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    const enqueue = (service: string, count: number) =>
      campaigns.enqueueJobs(Array.from({ length: count }, () => ({ campaignId: campaign.id, service })));
    const completed = { apollo: 0, openai: 0 };
    const removing = await startWorker(bw, 'apollo', async () => 'sent', { removeOnComplete: true });
    removing.events.on('job:completed', () => (completed.apollo += 1));
    const keeping = bw.createWorker({
      service: 'openai',
      handler: async () => 'sent',
      removeOnComplete: { maxCount: 3 },
      pollIntervalMs: 10,
    });
    running.push(keeping);
    keeping.events.on('job:completed', () => (completed.openai += 1));
    await keeping.start();

    await enqueue('apollo', 10);
    const openai = await enqueue('openai', 10);
    await waitFor(() => expect(completed).toEqual({ apollo: 10, openai: 10 }));
    expect(await campaigns.listJobs({ service: 'apollo' })).toEqual([]);
    // Pruning runs as jobs complete, at most once a second: one more completion after that brings the count down.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    openai.push(...(await enqueue('openai', 1)));
    await waitFor(async () => expect(await campaigns.countJobsByStatus({ service: 'openai' })).toMatchObject({ COMPLETED: 3 }), 3_000);
    // One job at a time (concurrency 1), so the most recently completed are the last three enqueued.
    expect((await campaigns.listJobs({ service: 'openai' })).map((job) => job.id)).toEqual(openai.slice(-3).map((job) => job.id));
  });

  it('refuses a removeOnComplete that is neither a boolean nor limits, naming the option', () => {
    const { bw } = setup();
    const create = (removeOnComplete: unknown) =>
      bw.createWorker({ service: 'apollo', handler: async () => null, removeOnComplete: removeOnComplete as never });
    for (const bad of [{}, { maxCount: -1 }, { maxAgeMs: 1.5 }, 'yes'])
      expect(() => create(bad)).toThrow('Invalid option "removeOnComplete"');
    expect(() => create({ maxAgeMs: 86_400_000, maxCount: 1_000 })).not.toThrow();
  });
});
