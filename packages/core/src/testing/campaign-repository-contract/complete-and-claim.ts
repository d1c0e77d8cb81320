/** A claim that also records completions: `completeAndClaimJobs` is `completeJobs` then `claimJobs`, in one atomic step. */
import { uniqueService } from '../unique-service.js';
import { sleep } from '../waiting.js';
import { MISSING_ID, campaign, claimedJob, ids, jobs } from './contract-suite.js';
import type { ContractSuite } from './contract-suite.js';

export function completeAndClaimCases(suite: ContractSuite): void {
  const { describe, it, expect } = suite.api;
  const { makeRepo, storedJob } = suite;

  describe('completions with the next claim', () => {
    it('completeAndClaimJobs: the held jobs COMPLETED (false, in place, for one not held), then the oldest PENDING claimed', async () => {
      const repo = await makeRepo();
      const service = uniqueService('complete-claim');
      const owner = await campaign(repo, 'RUNNING');
      const queued = await jobs(repo, owner.id, service, 5);
      const held = await repo.claimJobs({ service, workerId: 'worker-1', limit: 2, leaseMs: 60_000 });
      const theirs = await claimedJob(repo, uniqueService('someone-else'), 'worker-2');

      const before = Date.now();
      const { completed, claimed } = await repo.completeAndClaimJobs({
        service,
        workerId: 'worker-1',
        limit: 2,
        leaseMs: 60_000,
        completions: [
          { jobId: held[0]?.id ?? '', result: { leadId: 'L-1' } },
          { jobId: theirs.id, result: 'stolen' },
          { jobId: MISSING_ID, result: null },
          { jobId: held[1]?.id ?? '', result: undefined },
        ],
      });
      expect(completed).toEqual([true, false, false, true]);
      expect(await repo.getJob(held[0]?.id ?? '')).toMatchObject({ status: 'COMPLETED', result: { leadId: 'L-1' }, leaseOwner: null });
      expect(await repo.getJob(held[1]?.id ?? '')).toMatchObject({ status: 'COMPLETED', result: null, leaseExpiresAt: null });
      expect(await storedJob(repo, theirs.id)).toEqual({ status: 'PROCESSING', error: null, attempts: 1 });
      expect(ids(claimed)).toEqual(ids(queued.slice(2, 4)));
      for (const job of claimed) {
        expect(job).toMatchObject({ status: 'PROCESSING', leaseOwner: 'worker-1', attempts: 1, service });
        expect(job.leaseExpiresAt?.getTime() ?? 0).toBeGreaterThan(before + 30_000);
      }
    });

    it('with remove, the held jobs are deleted; nothing to claim is an empty claim, and no completions a plain claim', async () => {
      const repo = await makeRepo();
      const service = uniqueService('complete-claim-remove');
      const owner = await campaign(repo, 'RUNNING');
      const [last] = (await jobs(repo, owner.id, service, 3)).slice(2);
      const held = await repo.claimJobs({ service, workerId: 'worker-1', limit: 2, leaseMs: 60_000 });

      const completions = held.map((job) => ({ jobId: job.id, result: 'sent' }));
      const first = await repo.completeAndClaimJobs({
        service,
        workerId: 'worker-1',
        limit: 0,
        leaseMs: 60_000,
        completions,
        remove: true,
      });
      expect(first).toEqual({ completed: [true, true], claimed: [] });
      for (const job of held) expect(await repo.getJob(job.id)).toBeNull();
      expect(await storedJob(repo, last?.id ?? '')).toEqual({ status: 'PENDING', error: null, attempts: 0 });

      const second = await repo.completeAndClaimJobs({ service, workerId: 'worker-1', limit: 5, leaseMs: 60_000, completions: [] });
      expect(second.completed).toEqual([]);
      expect(ids(second.claimed)).toEqual([last?.id]);
      const third = await repo.completeAndClaimJobs({
        service,
        workerId: 'worker-1',
        limit: 5,
        leaseMs: 60_000,
        completions: [{ jobId: last?.id ?? '', result: null }],
        remove: true,
      });
      expect(third).toEqual({ completed: [true], claimed: [] });
      expect(await repo.countJobsByStatus({ service })).toMatchObject({ PENDING: 0, PROCESSING: 0, COMPLETED: 0 });
    });

    it('a job completed in the step is not claimed back, even with its lease expired', async () => {
      const repo = await makeRepo();
      const service = uniqueService('complete-claim-expired');
      const job = await claimedJob(repo, service, 'worker-1', 100);
      await sleep(250);
      const { completed, claimed } = await repo.completeAndClaimJobs({
        service,
        workerId: 'worker-1',
        limit: 5,
        leaseMs: 60_000,
        completions: [{ jobId: job.id, result: 'late but done' }],
      });
      expect(completed).toEqual([true]);
      expect(claimed).toEqual([]);
      expect(await repo.getJob(job.id)).toMatchObject({ status: 'COMPLETED', result: 'late but done', leaseOwner: null });
    }, 10_000);

    it('behind a raised fence the completions are recorded and nothing is claimed', async () => {
      const repo = await makeRepo();
      const service = uniqueService('complete-claim-fenced');
      const job = await claimedJob(repo, service, 'worker-1');
      const owner = await campaign(repo, 'RUNNING');
      await jobs(repo, owner.id, service, 2);
      await repo.pauseJobsForService(service, 'down');
      const { completed, claimed } = await repo.completeAndClaimJobs({
        service,
        workerId: 'worker-1',
        limit: 5,
        leaseMs: 60_000,
        completions: [{ jobId: job.id, result: 'sent' }],
      });
      expect(completed).toEqual([true]);
      expect(claimed).toEqual([]);
      expect(await repo.countJobsByStatus({ service })).toMatchObject({ COMPLETED: 1, PAUSED: 2, PROCESSING: 0 });
    });
  });
}
