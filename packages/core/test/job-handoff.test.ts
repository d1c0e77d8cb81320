/**
 * Direct handoff through `createBreakwater`: a job enqueued while a worker of its service in this process is idle
 * is claimed for it by the enqueue and starts without a claim; the worker's own guards still hold.
 */
import {
  type Breakwater,
  type BreakwaterOptions,
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  type Job,
  type Worker,
  createBreakwater,
} from '@breakwater/core';
import { afterEach, describe, expect, it } from 'vitest';
import { withStaleReads } from './support/stale-reads';
import { waitFor } from './support/wait-for';

const running: Worker[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((worker) => worker.stop({ graceful: false })));
});

/** The repository, counting its claims and letting a test hold an enqueue after it has stored its job, before it hands it over. */
function countingRepository() {
  const repo = new InMemoryCampaignRepository();
  const counts = { claims: 0 };
  let afterEnqueue: (job: Job) => Promise<void> = async () => {};
  const proxy = new Proxy(repo, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'claimJobs')
        return (...args: Parameters<InMemoryCampaignRepository['claimJobs']>) => {
          counts.claims += 1;
          return target.claimJobs(...args);
        };
      if (property === 'enqueueJob')
        return async (...[input, options]: Parameters<InMemoryCampaignRepository['enqueueJob']>) => {
          // The hold comes between storing the job and handing it over (`onClaimed`), as in a slow repository.
          let handOver = () => {};
          const onClaimed = options?.onClaimed;
          const held = onClaimed ? { ...options, onClaimed: (jobs: readonly Job[]) => (handOver = () => onClaimed(jobs)) } : options;
          const job = await target.enqueueJob(input, held);
          await afterEnqueue(job);
          handOver();
          return job;
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { repo, proxy, counts, holdEnqueues: (hook: (job: Job) => Promise<void>) => (afterEnqueue = hook) };
}

/** One instance on in-memory stores over the counting repository, with a RUNNING campaign to enqueue into. */
async function handoffWorld(options: Partial<Omit<BreakwaterOptions, 'campaigns'>> = {}) {
  const { repo, proxy, counts, holdEnqueues } = countingRepository();
  const bw = createBreakwater({
    services: ['apollo'],
    breakerStore: new InMemoryCircuitBreakerStore(),
    queueStore: new InMemoryQueueStore(),
    campaigns: proxy,
    reconcileIntervalMs: 0,
    ...options,
  });
  const campaign = await repo.createCampaign({ name: 'c', status: 'RUNNING' });
  return { repo, counts, holdEnqueues, bw, campaign };
}

async function startIdleWorker(bw: Breakwater, counts: { claims: number }, handler: (job: Job) => Promise<unknown>) {
  const worker = bw.createWorker({ service: 'apollo', handler, concurrency: 2, pollIntervalMs: 60_000 });
  running.push(worker);
  const claimsBefore = counts.claims;
  await worker.start();
  // Its first claim (of an empty queue) is over: it waits for work.
  await waitFor(() => expect(counts.claims).toBe(claimsBefore + 1));
  await new Promise((resolve) => setTimeout(resolve, 5));
  return worker;
}

describe('direct handoff', () => {
  it('a job enqueued into an idle worker is claimed for it by the enqueue and runs with no claim after it', async () => {
    const { repo, counts, bw, campaign } = await handoffWorld();
    const worker = await startIdleWorker(bw, counts, async () => 'sent');
    const job = await bw.campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    expect(job).toMatchObject({ status: 'PROCESSING', leaseOwner: worker.id, attempts: 1 });
    await waitFor(async () => expect(await repo.getJob(job.id)).toMatchObject({ status: 'COMPLETED', attempts: 1, result: 'sent' }));
    expect(counts.claims).toBe(1);
  });

  it('bulk: the free slots of every idle worker of the service are filled, the rest enqueued PENDING and claimed', async () => {
    const { repo, counts, bw, campaign } = await handoffWorld();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = await startIdleWorker(bw, counts, () => held);
    const second = await startIdleWorker(bw, counts, () => held);
    const jobs = await bw.campaigns.enqueueJobs(Array.from({ length: 5 }, () => ({ campaignId: campaign.id, service: 'apollo' })));
    expect(jobs.map((job) => job.leaseOwner)).toEqual([first.id, first.id, second.id, second.id, null]);
    release();
    await waitFor(async () => expect((await repo.countJobsByStatus()).COMPLETED).toBe(5));
  });

  it('with jobHandoff: false, the job is enqueued PENDING and the worker claims it', async () => {
    const { repo, counts, bw, campaign } = await handoffWorld({ jobHandoff: false });
    await startIdleWorker(bw, counts, async () => 'sent');
    const job = await bw.campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    expect(job).toMatchObject({ status: 'PENDING', leaseOwner: null, attempts: 0 });
    await waitFor(async () => expect(await repo.getJob(job.id)).toMatchObject({ status: 'COMPLETED' }));
    expect(counts.claims).toBeGreaterThan(1);
  });

  it('a job of a paused service is never handed off: it is enqueued PAUSED', async () => {
    const { counts, bw, campaign } = await handoffWorld();
    const started: string[] = [];
    await startIdleWorker(bw, counts, async (job) => started.push(job.id));
    await bw.breakers.trip('apollo', 'outage');
    const job = await bw.campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    expect(job).toMatchObject({ status: 'PAUSED', leaseOwner: null, attempts: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toEqual([]);
  });

  it('a handed-off job of a service paused between the enqueue and its start does not run (the pause epoch), even on stale reads', async () => {
    // The trip happens while the enqueue returns; every breaker and queue read after it answers with the state from
    // before the trip (as a near-cache may): only the pause epoch, checked right before the handler, stops the job.
    let staleReads = false;
    const isStale = () => staleReads;
    const { repo, counts, holdEnqueues, bw, campaign } = await handoffWorld({
      breakerStore: withStaleReads(new InMemoryCircuitBreakerStore(), 'breaker', isStale),
      queueStore: withStaleReads(new InMemoryQueueStore(), 'queue', isStale),
    });
    const started: string[] = [];
    const worker = await startIdleWorker(bw, counts, async (job) => started.push(job.id));
    let tripped = () => {};
    const trippedDuringEnqueue = new Promise<void>((resolve) => (tripped = resolve));
    let handedOff = false;
    holdEnqueues(async (job) => {
      handedOff = job.leaseOwner === worker.id;
      await trippedDuringEnqueue;
      staleReads = true;
    });
    const enqueued = bw.campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    await waitFor(() => expect(handedOff).toBe(true));
    await bw.breakers.trip('apollo', 'outage');
    tripped();
    const job = await enqueued;
    await waitFor(async () => expect(await repo.getJob(job.id)).toMatchObject({ status: 'PAUSED', attempts: 0, leaseOwner: null }));
    expect(started).toEqual([]);
  });

  it('a worker stopping while a job is handed to it puts the job back PENDING, its attempt given back', async () => {
    const { repo, counts, holdEnqueues, bw, campaign } = await handoffWorld();
    const started: string[] = [];
    const worker = await startIdleWorker(bw, counts, async (job) => started.push(job.id));
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let handedOff = false;
    holdEnqueues(async (job) => {
      handedOff = job.leaseOwner === worker.id;
      await held;
    });
    const enqueued = bw.campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    await waitFor(() => expect(handedOff).toBe(true));
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    // stop() waits for the handoff under way, so the job is not left behind.
    expect(stopped).toBe(false);
    release();
    const job = await enqueued;
    await stopping;
    expect(await repo.getJob(job.id)).toMatchObject({ status: 'PENDING', attempts: 0, leaseOwner: null });
    expect(started).toEqual([]);
  });

  it('no handoff across processes: a job enqueued where no worker runs is announced and claimed by the other process', async () => {
    const repo = new InMemoryCampaignRepository();
    const [breakerStore, queueStore] = [new InMemoryCircuitBreakerStore(), new InMemoryQueueStore()];
    const stores = { services: ['apollo'], breakerStore, queueStore, campaigns: repo, reconcileIntervalMs: 0 };
    const [enqueuer, workerSide] = [createBreakwater(stores), createBreakwater(stores)];
    const campaign = await repo.createCampaign({ name: 'c', status: 'RUNNING' });
    const worker = workerSide.createWorker({ service: 'apollo', handler: async () => 'sent', pollIntervalMs: 60_000 });
    running.push(worker);
    await worker.start();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const job = await enqueuer.campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    expect(job).toMatchObject({ status: 'PENDING', leaseOwner: null });
    await waitFor(async () => expect(await repo.getJob(job.id)).toMatchObject({ status: 'COMPLETED', leaseOwner: null }));
    await Promise.all([enqueuer.close(), workerSide.close()]);
  });
});
