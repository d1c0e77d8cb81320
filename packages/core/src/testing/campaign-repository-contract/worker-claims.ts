/** Worker claims and leases: claiming, expired leases, concurrent claimers, complete, fail, repause and lease release. */
import type { Job } from '../../domain.js';
import { uniqueService } from '../unique-service.js';
import { sleep } from '../waiting.js';
import { MISSING_ID, campaign, claimedJob, ids, jobs } from './contract-suite.js';
import type { ContractSuite } from './contract-suite.js';

export function workerClaimCases(suite: ContractSuite): void {
  const { describe, it, expect } = suite.api;
  const { makeRepo, storedJob } = suite;

  describe('worker claims', () => {
    it('claimJobs: oldest PENDING jobs of the service whose campaign is RUNNING, up to the limit', async () => {
      const repo = await makeRepo();
      const [service, other] = [uniqueService('claim'), uniqueService('other')];
      const running = await campaign(repo, 'RUNNING');
      const paused = await campaign(repo, 'PAUSED');
      const draft = await campaign(repo, 'DRAFT');
      await jobs(repo, paused.id, service, 2);
      await jobs(repo, draft.id, service, 1);
      const claimable = await jobs(repo, running.id, service, 3);
      await jobs(repo, running.id, service, 1, 'PAUSED');
      await jobs(repo, running.id, other, 1);

      const before = Date.now();
      const first = await repo.claimJobs({ service, workerId: 'worker-1', limit: 2, leaseMs: 60_000 });
      expect(ids(first)).toEqual(ids(claimable.slice(0, 2)));
      for (const job of first) {
        expect(job).toMatchObject({ status: 'PROCESSING', leaseOwner: 'worker-1', attempts: 1, service });
        expect(job.leaseExpiresAt?.getTime() ?? 0).toBeGreaterThan(before + 30_000);
        expect(await storedJob(repo, job.id)).toEqual({ status: 'PROCESSING', error: null, attempts: 1 });
      }
      const rest = await repo.claimJobs({ service, workerId: 'worker-2', limit: 10, leaseMs: 60_000 });
      expect(ids(rest)).toEqual(ids(claimable.slice(2)));
      expect(await repo.claimJobs({ service, workerId: 'worker-3', limit: 10, leaseMs: 60_000 })).toEqual([]);
    });

    it('a job whose lease expired is claimed again, and its first worker has lost it', async () => {
      const repo = await makeRepo();
      const service = uniqueService('lease');
      const job = await claimedJob(repo, service, 'crashed', 100);
      expect(await repo.claimJobs({ service, workerId: 'rescuer', limit: 1, leaseMs: 60_000 })).toEqual([]);
      await sleep(250);
      const [reclaimed] = await repo.claimJobs({ service, workerId: 'rescuer', limit: 1, leaseMs: 60_000 });
      expect(reclaimed).toMatchObject({ id: job.id, status: 'PROCESSING', leaseOwner: 'rescuer', attempts: 2 });
      expect(await repo.completeJob({ jobId: job.id, workerId: 'crashed', result: 'late' })).toBe(false);
      expect(await repo.completeJob({ jobId: job.id, workerId: 'rescuer', result: 'done' })).toBe(true);
    }, 10_000);

    it('an expired lease is not reclaimed while the service is paused', async () => {
      const repo = await makeRepo();
      const service = uniqueService('lease-fenced');
      await claimedJob(repo, service, 'crashed', 100);
      await repo.pauseJobsForService(service, 'down');
      await sleep(250);
      expect(await repo.claimJobs({ service, workerId: 'rescuer', limit: 1, leaseMs: 60_000 })).toEqual([]);
    }, 10_000);

    it('concurrency: 5 claimers at once never receive the same job', async () => {
      const repo = await makeRepo();
      const service = uniqueService('race-claim');
      const owner = await campaign(repo, 'RUNNING');
      const all = await jobs(repo, owner.id, service, 30);
      const claimer = async (workerId: string) => {
        const mine: Job[] = [];
        for (;;) {
          const batch = await repo.claimJobs({ service, workerId, limit: 4, leaseMs: 60_000 });
          if (batch.length === 0) return mine;
          mine.push(...batch);
        }
      };
      const perWorker = await Promise.all(['w1', 'w2', 'w3', 'w4', 'w5'].map(claimer));
      const claimed = perWorker.flat();
      expect(claimed).toHaveLength(30);
      expect(new Set(ids(claimed)).size).toBe(30);
      expect([...ids(claimed)].sort()).toEqual([...ids(all)].sort());
      expect(claimed.every((job) => job.attempts === 1)).toBe(true);
      perWorker.forEach((mine, i) => expect(mine.every((job) => job.leaseOwner === `w${i + 1}`)).toBe(true));
    });

    it('completeJob: COMPLETED with the result, only for the worker holding it', async () => {
      const repo = await makeRepo();
      const job = await claimedJob(repo, uniqueService('complete'), 'worker-1');
      expect(await repo.completeJob({ jobId: job.id, workerId: 'worker-2', result: 'stolen' })).toBe(false);
      expect((await storedJob(repo, job.id)).status).toBe('PROCESSING');

      expect(await repo.completeJob({ jobId: job.id, workerId: 'worker-1', result: { leadId: 'L-1' } })).toBe(true);
      expect(await storedJob(repo, job.id)).toEqual({ status: 'COMPLETED', error: null, attempts: 1 });
      expect(await repo.getJob(job.id)).toMatchObject({ status: 'COMPLETED', result: { leadId: 'L-1' }, leaseOwner: null });
      expect(await repo.completeJob({ jobId: job.id, workerId: 'worker-1', result: 'twice' })).toBe(false);
      expect(await repo.completeJob({ jobId: MISSING_ID, workerId: 'worker-1', result: null })).toBe(false);
    });

    it('failJob with a retry delay: PENDING again, not claimable until the delay has passed', async () => {
      const repo = await makeRepo();
      const service = uniqueService('retry');
      const job = await claimedJob(repo, service, 'worker-1');
      expect(await repo.failJob({ jobId: job.id, workerId: 'worker-2', error: 'x', retryInMs: 0 })).toBe(false);

      expect(await repo.failJob({ jobId: job.id, workerId: 'worker-1', error: 'HTTP 500', retryInMs: 200 })).toBe(true);
      expect(await storedJob(repo, job.id)).toMatchObject({ status: 'PENDING', attempts: 1 });
      expect(await repo.getJob(job.id)).toMatchObject({ status: 'PENDING', leaseOwner: null });
      expect(await repo.claimJobs({ service, workerId: 'worker-1', limit: 1, leaseMs: 60_000 })).toEqual([]);
      await sleep(350);
      expect(await repo.claimJobs({ service, workerId: 'worker-1', limit: 1, leaseMs: 60_000 })).toMatchObject([
        { id: job.id, attempts: 2 },
      ]);
    }, 10_000);

    it('failJob without a retry: FAILED with the error', async () => {
      const repo = await makeRepo();
      const job = await claimedJob(repo, uniqueService('fail'), 'worker-1');
      expect(await repo.failJob({ jobId: job.id, workerId: 'worker-1', error: 'invalid email', retryInMs: null })).toBe(true);
      expect(await storedJob(repo, job.id)).toEqual({ status: 'FAILED', error: 'invalid email', attempts: 1 });
      expect(await repo.failJob({ jobId: job.id, workerId: 'worker-1', error: 'again', retryInMs: null })).toBe(false);
    });

    it('repauseJob: PAUSED with the reason and the attempt given back; resumes with its service', async () => {
      const repo = await makeRepo();
      const service = uniqueService('repause');
      const job = await claimedJob(repo, service, 'worker-1');
      expect(await repo.repauseJob({ jobId: job.id, workerId: 'worker-2', reason: 'x' })).toBe(false);
      expect(await repo.repauseJob({ jobId: job.id, workerId: 'worker-1', reason: 'Circuit breaker open for apollo' })).toBe(true);
      expect(await storedJob(repo, job.id)).toEqual({ status: 'PAUSED', error: 'Circuit breaker open for apollo', attempts: 0 });
      expect(await repo.repauseJob({ jobId: job.id, workerId: 'worker-1', reason: 'again' })).toBe(false);

      expect(await repo.resumeJobsForService(service)).toBe(1);
      expect(await storedJob(repo, job.id)).toEqual({ status: 'PENDING', error: null, attempts: 0 });
    });

    it('releaseJob: PENDING again after the delay with the attempt given back, only for the worker holding it', async () => {
      const repo = await makeRepo();
      const service = uniqueService('release');
      const job = await claimedJob(repo, service, 'w1');
      expect(job.attempts).toBe(1);
      expect(await repo.releaseJob({ jobId: job.id, workerId: 'intruder', retryInMs: 0 })).toBe(false);
      expect(await repo.releaseJob({ jobId: job.id, workerId: 'w1', retryInMs: 200 })).toBe(true);
      expect(await storedJob(repo, job.id)).toEqual({ status: 'PENDING', error: null, attempts: 0 });
      expect(await repo.releaseJob({ jobId: job.id, workerId: 'w1', retryInMs: 0 })).toBe(false);
      expect(await repo.claimJobs({ service, workerId: 'w2', limit: 1, leaseMs: 60_000 })).toEqual([]);
      await sleep(300);
      const [again] = await repo.claimJobs({ service, workerId: 'w2', limit: 1, leaseMs: 60_000 });
      expect(again).toMatchObject({ id: job.id, attempts: 1, leaseOwner: 'w2' });
    });

    it('releaseExpiredLeases: expired PROCESSING jobs → PENDING, attempts kept, per service or all', async () => {
      const repo = await makeRepo();
      const [a, b, c] = [uniqueService('a'), uniqueService('b'), uniqueService('c')];
      const jobA = await claimedJob(repo, a, 'crashed', 100);
      const jobB = await claimedJob(repo, b, 'crashed', 100);
      const jobC = await claimedJob(repo, c, 'alive', 60_000);
      await sleep(250);

      expect(await repo.releaseExpiredLeases({ service: a })).toBe(1);
      expect(await storedJob(repo, jobA.id)).toEqual({ status: 'PENDING', error: null, attempts: 1 });
      expect(await repo.getJob(jobA.id)).toMatchObject({ leaseOwner: null });
      expect((await storedJob(repo, jobB.id)).status).toBe('PROCESSING');

      expect(await repo.releaseExpiredLeases()).toBe(1);
      expect((await storedJob(repo, jobB.id)).status).toBe('PENDING');
      expect((await storedJob(repo, jobC.id)).status).toBe('PROCESSING');
      expect(await repo.releaseExpiredLeases()).toBe(0);
    }, 10_000);
  });
}
