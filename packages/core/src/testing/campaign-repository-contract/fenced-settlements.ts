/**
 * A job that leaves its worker while its service is paused (a retry after a failure, a job put back, a lease
 * that expired) waits for the resume as PAUSED with the pause reason, never PENDING behind a raised fence: a
 * pause that began while the job ran could not pause it then (it was PROCESSING), and a resume moves only
 * PAUSED jobs. Without this, the job would sit PENDING (counted as waiting, its stale error kept) until the
 * resume, and `jobs_resumed` would leave it out.
 */
import { uniqueService } from '../unique-service.js';
import { sleep } from '../waiting.js';
import { claimedJob } from './contract-suite.js';
import type { ContractSuite } from './contract-suite.js';

const REASON = 'Circuit breaker open for apollo: HTTP 503';

export function fencedSettlementCases(suite: ContractSuite): void {
  const { describe, it, expect } = suite.api;
  const { makeRepo, storedJob } = suite;

  describe('jobs leaving their worker while their service is paused', () => {
    it('failJob with a retry: PAUSED with the pause reason, the attempt kept; the resume brings it back', async () => {
      const repo = await makeRepo();
      const service = uniqueService('fail-fenced');
      const job = await claimedJob(repo, service, 'worker-1');
      await repo.pauseJobsForService(service, REASON);

      expect(await repo.failJob({ jobId: job.id, workerId: 'worker-1', error: 'HTTP 503', retryInMs: 0 })).toBe(true);
      expect(await storedJob(repo, job.id)).toEqual({ status: 'PAUSED', error: REASON, attempts: 1 });
      expect(await repo.resumeJobsForService(service)).toBe(1);
      expect(await storedJob(repo, job.id)).toEqual({ status: 'PENDING', error: null, attempts: 1 });
    });

    it('failJob without a retry still fails the job for good', async () => {
      const repo = await makeRepo();
      const service = uniqueService('fail-final-fenced');
      const job = await claimedJob(repo, service, 'worker-1');
      await repo.pauseJobsForService(service, REASON);
      expect(await repo.failJob({ jobId: job.id, workerId: 'worker-1', error: 'invalid email', retryInMs: null })).toBe(true);
      expect(await storedJob(repo, job.id)).toEqual({ status: 'FAILED', error: 'invalid email', attempts: 1 });
    });

    it('releaseJob: PAUSED with the pause reason and the attempt given back', async () => {
      const repo = await makeRepo();
      const service = uniqueService('release-fenced');
      const job = await claimedJob(repo, service, 'worker-1');
      await repo.pauseJobsForService(service, REASON);
      expect(await repo.releaseJob({ jobId: job.id, workerId: 'worker-1', retryInMs: 0 })).toBe(true);
      expect(await storedJob(repo, job.id)).toEqual({ status: 'PAUSED', error: REASON, attempts: 0 });
    });

    it('releaseExpiredLeases: PAUSED with the pause reason for a paused service, PENDING for the others', async () => {
      const repo = await makeRepo();
      const [paused, free] = [uniqueService('expired-fenced'), uniqueService('expired-free')];
      const fenced = await claimedJob(repo, paused, 'crashed', 100);
      const open = await claimedJob(repo, free, 'crashed', 100);
      await repo.pauseJobsForService(paused, REASON);
      await sleep(250);

      expect(await repo.releaseExpiredLeases({ service: paused })).toBe(1);
      expect(await storedJob(repo, fenced.id)).toEqual({ status: 'PAUSED', error: REASON, attempts: 1 });
      expect(await repo.releaseExpiredLeases()).toBe(1);
      expect(await storedJob(repo, open.id)).toEqual({ status: 'PENDING', error: null, attempts: 1 });
      expect(await repo.resumeJobsForService(paused)).toBe(1);
      expect(await storedJob(repo, fenced.id)).toEqual({ status: 'PENDING', error: null, attempts: 1 });
    }, 10_000);
  });
}
