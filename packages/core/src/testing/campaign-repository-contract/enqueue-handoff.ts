/**
 * Enqueue with claims (`EnqueueOptions.claims`): a new job goes straight to a worker only where `claimJobs` would
 * have given it to that worker at once, left exactly as a claim leaves it; every other job is enqueued as usual.
 */
import type { Job } from '../../domain.js';
import type { ClaimJobsInput, RepositoryChange } from '../../ports.js';
import { rejectionOf } from '../rejection.js';
import { uniqueService } from '../unique-service.js';
import { sleep, waitUntil } from '../waiting.js';
import { MISSING_ID, campaign, ids } from './contract-suite.js';
import type { ContractSuite } from './contract-suite.js';

const claimFor = (service: string, workerId = 'w-local', limit = 1): ClaimJobsInput => ({ service, workerId, limit, leaseMs: 60_000 });

export function enqueueHandoffCases(suite: ContractSuite): void {
  const { describe, it, expect } = suite.api;
  const { makeRepo, storedJob } = suite;

  /** Stored as a claim by `workerId` leaves a job: PROCESSING, leased to it, one attempt. */
  const expectTaken = async (repo: Awaited<ReturnType<typeof makeRepo>>, job: Job, workerId: string, before: number) => {
    expect(job).toMatchObject({ status: 'PROCESSING', leaseOwner: workerId, attempts: 1, error: null });
    expect(job.leaseExpiresAt?.getTime() ?? 0).toBeGreaterThan(before + 30_000);
    expect(await storedJob(repo, job.id)).toEqual({ status: 'PROCESSING', error: null, attempts: 1 });
    expect(await repo.getJob(job.id)).toMatchObject({ status: 'PROCESSING', leaseOwner: workerId, attempts: 1 });
  };

  describe('enqueue with claims (direct handoff)', () => {
    it('enqueueJob: a job a claim would take is stored claimed by the worker, and only it holds the lease', async () => {
      const repo = await makeRepo();
      const service = uniqueService('handoff');
      const running = await campaign(repo, 'RUNNING');
      const before = Date.now();
      const job = await repo.enqueueJob({ campaignId: running.id, service, payload: { n: 1 } }, { claims: [claimFor(service)] });
      await expectTaken(repo, job, 'w-local', before);
      expect(job.payload).toEqual({ n: 1 });
      expect(await repo.claimJobs({ service, workerId: 'other', limit: 5, leaseMs: 60_000 })).toEqual([]);
      expect(await repo.completeJob({ jobId: job.id, workerId: 'other', result: 'stolen' })).toBe(false);
      expect(await repo.releaseJob({ jobId: job.id, workerId: 'w-local', retryInMs: 0 })).toBe(true);
      // Released as a claimed job is: PENDING again, the attempt given back, claimable by anyone.
      expect(await storedJob(repo, job.id)).toEqual({ status: 'PENDING', error: null, attempts: 0 });
      expect(ids(await repo.claimJobs({ service, workerId: 'other', limit: 5, leaseMs: 60_000 }))).toEqual([job.id]);
    });

    it('not taken while the fence is up: enqueued PAUSED with the pause reason, as without claims', async () => {
      const repo = await makeRepo();
      const service = uniqueService('handoff-fenced');
      const running = await campaign(repo, 'RUNNING');
      await repo.pauseJobsForService(service, 'Circuit breaker open');
      const job = await repo.enqueueJob({ campaignId: running.id, service }, { claims: [claimFor(service)] });
      expect(job).toMatchObject({ status: 'PAUSED', error: 'Circuit breaker open', leaseOwner: null, attempts: 0 });
      // An explicit PENDING under a raised fence is not claimable either.
      const pending = await repo.enqueueJob({ campaignId: running.id, service, status: 'PENDING' }, { claims: [claimFor(service)] });
      expect(pending).toMatchObject({ status: 'PENDING', leaseOwner: null, attempts: 0 });
    });

    it('not taken when its campaign is not RUNNING, nor when it is enqueued PAUSED', async () => {
      const repo = await makeRepo();
      const service = uniqueService('handoff-campaign');
      for (const status of ['DRAFT', 'PAUSED'] as const) {
        const owner = await campaign(repo, status);
        const job = await repo.enqueueJob({ campaignId: owner.id, service }, { claims: [claimFor(service)] });
        expect(job).toMatchObject({ status: 'PENDING', leaseOwner: null, leaseExpiresAt: null, attempts: 0 });
      }
      const running = await campaign(repo, 'RUNNING');
      const paused = await repo.enqueueJob({ campaignId: running.id, service, status: 'PAUSED' }, { claims: [claimFor(service)] });
      expect(paused).toMatchObject({ status: 'PAUSED', leaseOwner: null, attempts: 0 });
    });

    it('a claim for another service takes nothing: the job is enqueued PENDING', async () => {
      const repo = await makeRepo();
      const [service, other] = [uniqueService('handoff-mine'), uniqueService('handoff-other')];
      const running = await campaign(repo, 'RUNNING');
      const job = await repo.enqueueJob({ campaignId: running.id, service }, { claims: [claimFor(other)] });
      expect(job).toMatchObject({ status: 'PENDING', leaseOwner: null, attempts: 0 });
    });

    it('enqueueJobs: each worker takes up to its limit of its service, in order; the rest PENDING as usual', async () => {
      const repo = await makeRepo();
      const [s1, s2] = [uniqueService('handoff-bulk-1'), uniqueService('handoff-bulk-2')];
      const [running, draft] = [await campaign(repo, 'RUNNING'), await campaign(repo, 'DRAFT')];
      const before = Date.now();
      const added = await repo.enqueueJobs(
        [
          { campaignId: draft.id, service: s1 },
          { campaignId: running.id, service: s1, payload: { n: 1 } },
          { campaignId: running.id, service: s2 },
          { campaignId: running.id, service: s1, status: 'PAUSED' },
          { campaignId: running.id, service: s1, payload: { n: 4 } },
          { campaignId: running.id, service: s1 },
          { campaignId: running.id, service: s1 },
        ],
        { claims: [claimFor(s1, 'w-a', 1), claimFor(s1, 'w-b', 2)] },
      );
      expect(added.map((job) => [job.status, job.leaseOwner])).toEqual([
        ['PENDING', null],
        ['PROCESSING', 'w-a'],
        ['PENDING', null],
        ['PAUSED', null],
        ['PROCESSING', 'w-b'],
        ['PROCESSING', 'w-b'],
        ['PENDING', null],
      ]);
      await expectTaken(repo, added[1]!, 'w-a', before);
      await expectTaken(repo, added[4]!, 'w-b', before);
      expect(added[4]!.payload).toEqual({ n: 4 });
      expect(ids(await repo.claimJobs({ service: s1, workerId: 'other', limit: 10, leaseMs: 60_000 }))).toEqual([added[6]!.id]);
    });

    it('enqueueJobs into a paused service takes nothing of it', async () => {
      const repo = await makeRepo();
      const [paused, open] = [uniqueService('handoff-bulk-paused'), uniqueService('handoff-bulk-open')];
      const running = await campaign(repo, 'RUNNING');
      await repo.pauseJobsForService(paused, 'down');
      const added = await repo.enqueueJobs(
        [
          { campaignId: running.id, service: paused },
          { campaignId: running.id, service: open },
        ],
        { claims: [claimFor(paused, 'w-a', 5), claimFor(open, 'w-b', 5)] },
      );
      expect(added.map((job) => [job.status, job.leaseOwner])).toEqual([
        ['PAUSED', null],
        ['PROCESSING', 'w-b'],
      ]);
    });

    it('subscribe (when the adapter has it) announces only the jobs no claim took', async () => {
      const repo = await makeRepo();
      if (!repo.subscribe) return;
      const service = uniqueService('handoff-notify');
      const running = await campaign(repo, 'RUNNING');
      const seen: RepositoryChange[] = [];
      const unsubscribe = repo.subscribe((change) => {
        if (change.service === service) seen.push(change);
      });
      try {
        await repo.enqueueJob({ campaignId: running.id, service }, { claims: [claimFor(service)] });
        const untaken = await repo.enqueueJob({ campaignId: running.id, service, status: 'PAUSED' }, { claims: [claimFor(service)] });
        await repo.enqueueJobs(
          [
            { campaignId: running.id, service },
            { campaignId: running.id, service },
          ],
          { claims: [claimFor(service, 'w-local', 1)] },
        );
        expect(await waitUntil(() => seen.length >= 2)).toBe(true);
        await sleep(100);
        expect(seen).toEqual([
          { kind: 'job-enqueued', service, jobId: untaken.id },
          { kind: 'jobs-enqueued', service, count: 1 },
        ]);
      } finally {
        unsubscribe();
      }
    }, 10_000);

    it('onClaimed: called once, before the enqueue resolves, with the jobs the claims took; not at all when nothing is stored', async () => {
      const repo = await makeRepo();
      const service = uniqueService('handoff-on-claimed');
      const running = await campaign(repo, 'RUNNING');
      const draft = await campaign(repo, 'DRAFT');
      const calls: { jobs: readonly Job[]; resolved: boolean }[] = [];
      let resolved = false;
      const onClaimed = (jobs: readonly Job[]) => calls.push({ jobs, resolved });

      const job = await repo.enqueueJob({ campaignId: running.id, service }, { claims: [claimFor(service)], onClaimed }).finally(() => {
        resolved = true;
      });
      expect(calls).toHaveLength(1);
      expect(calls[0]?.resolved).toBe(false);
      expect(calls[0]?.jobs).toEqual([job]);

      calls.length = 0;
      await repo.enqueueJob({ campaignId: draft.id, service }, { claims: [claimFor(service)], onClaimed });
      expect(calls.map((call) => call.jobs)).toEqual([[]]);

      calls.length = 0;
      const batch = await repo.enqueueJobs(
        [1, 2, 3].map((n) => ({ campaignId: running.id, service, payload: { n } })),
        { claims: [claimFor(service, 'w-a', 1), claimFor(service, 'w-b', 1)], onClaimed },
      );
      expect(calls).toHaveLength(1);
      expect(ids(calls[0]?.jobs ?? [])).toEqual(ids(batch.slice(0, 2)));
      expect(calls[0]?.jobs.map((taken) => [taken.leaseOwner, taken.payload])).toEqual([
        ['w-a', { n: 1 }],
        ['w-b', { n: 2 }],
      ]);

      calls.length = 0;
      expect(
        await rejectionOf(repo.enqueueJob({ campaignId: MISSING_ID, service }, { claims: [claimFor(service)], onClaimed })),
      ).toBeInstanceOf(Error);
      expect(
        await rejectionOf(repo.enqueueJobs([{ campaignId: MISSING_ID, service }], { claims: [claimFor(service)], onClaimed })),
      ).toBeInstanceOf(Error);
      expect(calls).toEqual([]);
    });
  });
}
