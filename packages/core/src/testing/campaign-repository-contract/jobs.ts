/** Jobs: enqueue (also into a paused service), read, list, count, and copies. */
import { JOB_STATUSES } from '../../domain.js';
import { errorCode, rejectionOf } from '../rejection.js';
import { uniqueService } from '../unique-service.js';
import { MISSING_ID, campaign, ids, jobs } from './contract-suite.js';
import type { ContractSuite } from './contract-suite.js';

export function jobCases(suite: ContractSuite): void {
  const { describe, it, expect } = suite.api;
  const { makeRepo, storedJob } = suite;

  describe('jobs', () => {
    it('enqueueJob: PENDING with no attempts, its payload stored; getJob reads it back', async () => {
      const repo = await makeRepo();
      const owner = await campaign(repo, 'RUNNING');
      const service = uniqueService('enqueue');
      const payload = { lead: { email: 'ada@example.com', tags: ['cto', 'fintech'] }, step: 2 };
      const job = await repo.enqueueJob({ campaignId: owner.id, service, payload });
      expect(job).toMatchObject({
        campaignId: owner.id,
        service,
        status: 'PENDING',
        error: null,
        payload,
        attempts: 0,
        leaseOwner: null,
        leaseExpiresAt: null,
      });
      expect(typeof job.id).toBe('string');
      expect(job.availableAt).toBeInstanceOf(Date);
      expect(job.createdAt).toBeInstanceOf(Date);
      expect(await repo.getJob(job.id)).toEqual(job);
      expect(await storedJob(repo, job.id)).toEqual({ status: 'PENDING', error: null, attempts: 0 });
      expect(await repo.getJob(MISSING_ID)).toBeNull();

      const paused = await repo.enqueueJob({ campaignId: owner.id, service, status: 'PAUSED' });
      expect(paused).toMatchObject({ status: 'PAUSED', payload: null, result: null });
      expect(paused.id).not.toBe(job.id);
    });

    it('enqueueJob on a missing campaign is NotFoundError', async () => {
      const repo = await makeRepo();
      const error = await rejectionOf(repo.enqueueJob({ campaignId: MISSING_ID, service: uniqueService('x') }));
      expect(errorCode(error)).toBe('NOT_FOUND');
    });

    it('enqueueJob while the service is paused: PAUSED with the pause reason, until its jobs resume', async () => {
      const repo = await makeRepo();
      const owner = await campaign(repo, 'RUNNING');
      const [fenced, other] = [uniqueService('fenced'), uniqueService('other')];
      await repo.pauseJobsForService(fenced, 'Circuit breaker open for apollo');

      const paused = await repo.enqueueJob({ campaignId: owner.id, service: fenced });
      expect(paused).toMatchObject({ status: 'PAUSED', error: 'Circuit breaker open for apollo' });
      expect(await storedJob(repo, paused.id)).toEqual({ status: 'PAUSED', error: 'Circuit breaker open for apollo', attempts: 0 });
      expect((await repo.enqueueJob({ campaignId: owner.id, service: other })).status).toBe('PENDING');

      await repo.resumeJobsForService(fenced);
      expect(await repo.enqueueJob({ campaignId: owner.id, service: fenced })).toMatchObject({ status: 'PENDING', error: null });
    });

    it('listJobs filters by campaign, service and status, oldest first, up to a limit', async () => {
      const repo = await makeRepo();
      const [a, b] = [await campaign(repo, 'RUNNING'), await campaign(repo, 'RUNNING')];
      const [s1, s2] = [uniqueService('s1'), uniqueService('s2')];
      const a1 = await jobs(repo, a.id, s1, 3);
      const a2 = await jobs(repo, a.id, s2, 1, 'PAUSED');
      const b1 = await jobs(repo, b.id, s1, 2);

      expect(ids(await repo.listJobs())).toEqual(ids([...a1, ...a2, ...b1]));
      expect(ids(await repo.listJobs({ campaignId: a.id }))).toEqual(ids([...a1, ...a2]));
      expect(ids(await repo.listJobs({ service: s1 }))).toEqual(ids([...a1, ...b1]));
      expect(ids(await repo.listJobs({ status: 'PAUSED' }))).toEqual(ids(a2));
      expect(ids(await repo.listJobs({ campaignId: b.id, service: s1, status: 'PENDING' }))).toEqual(ids(b1));
      expect(ids(await repo.listJobs({ service: s1, limit: 2 }))).toEqual(ids(a1.slice(0, 2)));
      expect(await repo.listJobs({ campaignId: b.id, service: s2 })).toEqual([]);
    });

    it('countJobsByStatus has every status as a key, overall or for one service', async () => {
      const repo = await makeRepo();
      const zero = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0]));
      expect(await repo.countJobsByStatus()).toEqual(zero);
      const owner = await campaign(repo, 'RUNNING');
      const [s1, s2] = [uniqueService('s1'), uniqueService('s2')];
      await jobs(repo, owner.id, s1, 3);
      await jobs(repo, owner.id, s2, 2, 'PAUSED');
      await repo.claimJobs({ service: s1, workerId: 'w', limit: 1, leaseMs: 60_000 });

      expect(await repo.countJobsByStatus()).toEqual({ ...zero, PENDING: 2, PROCESSING: 1, PAUSED: 2 });
      expect(await repo.countJobsByStatus({ service: s1 })).toEqual({ ...zero, PENDING: 2, PROCESSING: 1 });
      expect(await repo.countJobsByStatus({ service: uniqueService('none') })).toEqual(zero);
    });

    it('returns copies: editing a returned job changes nothing stored', async () => {
      const repo = await makeRepo();
      const owner = await campaign(repo, 'RUNNING');
      const job = await repo.enqueueJob({ campaignId: owner.id, service: uniqueService('copy'), payload: { tags: ['a'] } });
      job.status = 'FAILED';
      (job.payload as { tags: string[] }).tags.push('b');
      const [listed] = await repo.listJobs({ campaignId: owner.id });
      if (listed) listed.attempts = 7;
      expect(await repo.getJob(job.id)).toMatchObject({ status: 'PENDING', payload: { tags: ['a'] }, attempts: 0 });
    });
  });
}
