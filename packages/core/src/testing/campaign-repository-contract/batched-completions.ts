/** Batched completions: `completeJobs` is `completeJob` for many jobs at once, or deletes them with `remove`. */
import { uniqueService } from '../unique-service.js';
import { MISSING_ID, campaign, claimedJob, jobs } from './contract-suite.js';
import type { ContractSuite } from './contract-suite.js';

export function batchedCompletionCases(suite: ContractSuite): void {
  const { describe, it, expect } = suite.api;
  const { makeRepo, storedJob } = suite;

  /** `count` jobs of one RUNNING campaign on a new service, claimed by `workerId`. */
  async function claimed(repo: Awaited<ReturnType<typeof makeRepo>>, count: number, workerId: string) {
    const owner = await campaign(repo, 'RUNNING');
    const service = uniqueService('batch-complete');
    await jobs(repo, owner.id, service, count);
    const held = await repo.claimJobs({ service, workerId, limit: count, leaseMs: 60_000 });
    if (held.length !== count) throw new Error(`claimed ${held.length} of ${count} jobs`);
    return { service, held };
  }

  describe('batched completions', () => {
    it('completeJobs: every held job COMPLETED with its own result; false, in place, for a job not held', async () => {
      const repo = await makeRepo();
      const { held } = await claimed(repo, 3, 'worker-1');
      const [first, second, third] = held as [(typeof held)[0], (typeof held)[0], (typeof held)[0]];
      const theirs = await claimedJob(repo, uniqueService('someone-else'), 'worker-2');

      const answers = await repo.completeJobs({
        workerId: 'worker-1',
        jobs: [
          { jobId: first.id, result: { leadId: 'L-1' } },
          { jobId: theirs.id, result: 'stolen' },
          { jobId: second.id, result: 'sent' },
          { jobId: MISSING_ID, result: null },
          { jobId: third.id, result: undefined },
        ],
      });
      expect(answers).toEqual([true, false, true, false, true]);
      expect(await repo.getJob(first.id)).toMatchObject({ status: 'COMPLETED', result: { leadId: 'L-1' }, error: null, leaseOwner: null });
      expect(await repo.getJob(second.id)).toMatchObject({ status: 'COMPLETED', result: 'sent', leaseExpiresAt: null });
      expect(await repo.getJob(third.id)).toMatchObject({ status: 'COMPLETED', result: null });
      expect(await storedJob(repo, second.id)).toEqual({ status: 'COMPLETED', error: null, attempts: 1 });
      expect(await storedJob(repo, theirs.id)).toEqual({ status: 'PROCESSING', error: null, attempts: 1 });

      // A job already completed is no longer held.
      expect(await repo.completeJobs({ workerId: 'worker-1', jobs: [{ jobId: first.id, result: 'twice' }] })).toEqual([false]);
      expect(await repo.completeJobs({ workerId: 'worker-1', jobs: [] })).toEqual([]);
    });

    it('completeJobs with remove: the held jobs are deleted, the others stay as they were', async () => {
      const repo = await makeRepo();
      const { service, held } = await claimed(repo, 2, 'worker-1');
      const theirs = await claimedJob(repo, service, 'worker-2');

      const answers = await repo.completeJobs({
        workerId: 'worker-1',
        jobs: [...held, theirs].map((job) => ({ jobId: job.id, result: 'sent' })),
        remove: true,
      });
      expect(answers).toEqual([true, true, false]);
      for (const job of held) expect(await repo.getJob(job.id)).toBeNull();
      expect(await storedJob(repo, theirs.id)).toEqual({ status: 'PROCESSING', error: null, attempts: 1 });
      expect(await repo.countJobsByStatus({ service })).toMatchObject({ COMPLETED: 0, PROCESSING: 1 });
    });
  });
}
