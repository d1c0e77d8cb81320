import { describe, expect, it } from 'vitest';
import { closedRecord } from '../breaker-transitions.js';
import type { BreakerRecord, Job, QueueState } from '../domain.js';
import { silentLogger } from '../logger.js';
import { InMemoryCampaignRepository } from '../memory/in-memory-campaign-repository.js';
import type { EnqueueOptions } from '../ports.js';
import { type HandoffReservation, type HandoffTaker, JobHandoff } from './job-handoff.js';

/** A worker with `free` slots that records what it was handed and gives its slots back as a worker does. */
function taker(service: string, workerId: string, free: number) {
  const handed: Job[] = [];
  const state = { free, reserved: 0 };
  const self: HandoffTaker & { handed: Job[]; state: typeof state } = {
    service,
    handed,
    state,
    reserve(wanted): HandoffReservation | null {
      const slots = Math.min(wanted, state.free);
      if (slots <= 0) return null;
      state.free -= slots;
      state.reserved += slots;
      return {
        claim: { service, workerId, limit: slots, leaseMs: 30_000 },
        settle(jobs) {
          state.reserved -= slots;
          state.free += slots - jobs.length;
          handed.push(...jobs);
        },
      };
    },
  };
  return self;
}

async function setup(options: { queue?: QueueState['state']; breaker?: BreakerRecord['state']; failingCheck?: boolean } = {}) {
  const repo = new InMemoryCampaignRepository();
  /** The claims each enqueue asked for (undefined: asked for none). */
  const asked: (EnqueueOptions['claims'] | undefined)[] = [];
  const enqueueJob = repo.enqueueJob.bind(repo);
  const enqueueJobs = repo.enqueueJobs.bind(repo);
  const campaigns = {
    enqueueJob: (input: Parameters<typeof enqueueJob>[0], given?: EnqueueOptions) => (asked.push(given?.claims), enqueueJob(input, given)),
    enqueueJobs: (inputs: Parameters<typeof enqueueJobs>[0], given?: EnqueueOptions) => (
      asked.push(given?.claims),
      enqueueJobs(inputs, given)
    ),
  };
  const handoff = new JobHandoff({
    queueStore: {
      getStates: async (services) => {
        if (options.failingCheck) throw new Error('redis down');
        return services.map((service) => ({ service, state: options.queue ?? 'ACTIVE', reason: null, updatedAt: null }));
      },
    },
    breakers: { get: async (service) => ({ ...closedRecord(service, Date.now()), state: options.breaker ?? 'closed' }) },
    logger: silentLogger,
  });
  const running = await repo.createCampaign({ name: 'c', status: 'RUNNING' });
  return { repo, handoff, enqueue: handoff.wrap(campaigns), asked, campaignId: running.id };
}

describe('JobHandoff', () => {
  it('hands a new job to an idle worker of its service: claimed for it in the enqueue, given to it, its slot used', async () => {
    const { handoff, enqueue, asked, campaignId } = await setup();
    const worker = taker('apollo', 'w-1', 2);
    handoff.register(worker);
    const job = await enqueue.enqueueJob({ campaignId, service: 'apollo' });
    expect(job).toMatchObject({ status: 'PROCESSING', leaseOwner: 'w-1', attempts: 1 });
    expect(asked).toEqual([[{ service: 'apollo', workerId: 'w-1', limit: 1, leaseMs: 30_000 }]]);
    expect(worker.handed.map((handed) => handed.id)).toEqual([job.id]);
    expect(worker.state).toEqual({ free: 1, reserved: 0 });
  });

  it('asks for no claim when no worker of the service is registered, or none has a free slot', async () => {
    const { handoff, enqueue, asked, campaignId } = await setup();
    handoff.register(taker('openai', 'w-other', 5));
    const busy = taker('apollo', 'w-busy', 0);
    handoff.register(busy);
    expect(await enqueue.enqueueJob({ campaignId, service: 'apollo' })).toMatchObject({ status: 'PENDING', leaseOwner: null });
    expect(asked).toEqual([undefined]);
  });

  it('asks for no claim for a job enqueued PAUSED', async () => {
    const { handoff, enqueue, asked, campaignId } = await setup();
    const worker = taker('apollo', 'w-1', 1);
    handoff.register(worker);
    expect(await enqueue.enqueueJob({ campaignId, service: 'apollo', status: 'PAUSED' })).toMatchObject({ status: 'PAUSED' });
    expect(asked).toEqual([undefined]);
    expect(worker.state).toEqual({ free: 1, reserved: 0 });
  });

  it.each([
    ['the queue is PAUSED', { queue: 'PAUSED' as const }],
    ['the breaker is open', { breaker: 'open' as const }],
    ['the breaker is half-open', { breaker: 'half_open' as const }],
    ['the check itself fails', { failingCheck: true }],
  ])('hands nothing off when %s in this process’s view: the job is enqueued for a claim, the slots freed', async (_, options) => {
    const { handoff, enqueue, asked, campaignId } = await setup(options);
    const worker = taker('apollo', 'w-1', 3);
    handoff.register(worker);
    expect(await enqueue.enqueueJob({ campaignId, service: 'apollo' })).toMatchObject({ status: 'PENDING', leaseOwner: null });
    expect(asked).toEqual([undefined]);
    expect(worker.handed).toEqual([]);
    expect(worker.state).toEqual({ free: 3, reserved: 0 });
  });

  it('a fence up in the repository (a pause elsewhere) wins: nothing is taken and the slots come back', async () => {
    const { repo, handoff, enqueue, campaignId } = await setup();
    await repo.pauseJobsForService('apollo', 'Circuit breaker open for apollo');
    const worker = taker('apollo', 'w-1', 1);
    handoff.register(worker);
    expect(await enqueue.enqueueJob({ campaignId, service: 'apollo' })).toMatchObject({ status: 'PAUSED', leaseOwner: null });
    expect(worker.handed).toEqual([]);
    expect(worker.state).toEqual({ free: 1, reserved: 0 });
  });

  it('bulk: fills the free slots of the service’s workers in order, the rest PENDING', async () => {
    const { handoff, enqueue, campaignId } = await setup();
    const [first, second] = [taker('apollo', 'w-1', 2), taker('apollo', 'w-2', 1)];
    handoff.register(first);
    handoff.register(second);
    const jobs = await enqueue.enqueueJobs(
      Array.from({ length: 5 }, (_, n) => ({ campaignId, service: 'apollo', ...(n === 0 ? { status: 'PAUSED' as const } : {}) })),
    );
    expect(jobs.map((job) => job.leaseOwner)).toEqual([null, 'w-1', 'w-1', 'w-2', null]);
    expect(first.handed.map((job) => job.id)).toEqual([jobs[1]!.id, jobs[2]!.id]);
    expect(second.handed.map((job) => job.id)).toEqual([jobs[3]!.id]);
  });

  it('a failed enqueue gives every reserved slot back and fails as it would have', async () => {
    const { handoff, enqueue } = await setup();
    const worker = taker('apollo', 'w-1', 2);
    handoff.register(worker);
    await expect(enqueue.enqueueJob({ campaignId: '999', service: 'apollo' })).rejects.toThrow(/999/);
    expect(worker.state).toEqual({ free: 2, reserved: 0 });
  });

  it('a worker that withdrew is offered nothing', async () => {
    const { handoff, enqueue, asked, campaignId } = await setup();
    const withdraw = handoff.register(taker('apollo', 'w-1', 2));
    withdraw();
    expect(await enqueue.enqueueJob({ campaignId, service: 'apollo' })).toMatchObject({ status: 'PENDING' });
    expect(asked).toEqual([undefined]);
  });
});
