/** Pausing and resuming a service: its jobs, its fence against claims, and the running campaigns (the pause cascade's steps 2 and 3). */
import { uniqueService } from '../unique-service.js';
import { campaign, claimedJob, claimedJobFor, jobs } from './contract-suite.js';
import type { ContractSuite } from './contract-suite.js';

export function servicePauseCases(suite: ContractSuite): void {
  const { describe, it, expect } = suite.api;
  const { makeRepo, storedCampaign, storedJob } = suite;

  describe('pause and resume of a service', () => {
    it('pauseJobsForService pauses only its PENDING jobs with the reason; resumeJobsForService brings them back', async () => {
      const repo = await makeRepo();
      const owner = await campaign(repo, 'RUNNING');
      const [service, other] = [uniqueService('paused'), uniqueService('untouched')];
      const processing = await claimedJob(repo, service, 'worker-1');
      const pending = await jobs(repo, owner.id, service, 3);
      const elsewhere = await jobs(repo, owner.id, other, 2);

      expect(await repo.pauseJobsForService(service, 'Circuit breaker open for apollo: 503')).toBe(3);
      for (const job of pending)
        expect(await storedJob(repo, job.id)).toEqual({ status: 'PAUSED', error: 'Circuit breaker open for apollo: 503', attempts: 0 });
      expect((await storedJob(repo, processing.id)).status).toBe('PROCESSING');
      for (const job of elsewhere) expect((await storedJob(repo, job.id)).status).toBe('PENDING');
      expect(await repo.pauseJobsForService(service, 'again')).toBe(0);

      expect(await repo.resumeJobsForService(service)).toBe(3);
      for (const job of pending) expect(await storedJob(repo, job.id)).toEqual({ status: 'PENDING', error: null, attempts: 0 });
      expect((await storedJob(repo, processing.id)).status).toBe('PROCESSING');
      expect(await repo.resumeJobsForService(service)).toBe(0);
    });

    it('the fence: nothing of a paused service is claimed, even jobs enqueued as PENDING, until it resumes', async () => {
      const repo = await makeRepo();
      const owner = await campaign(repo, 'RUNNING');
      const [service, other] = [uniqueService('fenced'), uniqueService('free')];
      await jobs(repo, owner.id, service, 2);
      await jobs(repo, owner.id, other, 1);
      await repo.pauseJobsForService(service, 'down');
      const explicit = await repo.enqueueJob({ campaignId: owner.id, service, status: 'PENDING' });
      expect(explicit.status).toBe('PENDING');

      expect(await repo.claimJobs({ service, workerId: 'w', limit: 10, leaseMs: 60_000 })).toEqual([]);
      expect(await repo.claimJobs({ service: other, workerId: 'w', limit: 10, leaseMs: 60_000 })).toHaveLength(1);

      await repo.resumeJobsForService(service);
      expect(await repo.claimJobs({ service, workerId: 'w', limit: 10, leaseMs: 60_000 })).toHaveLength(3);
    });

    it('pauseRunningCampaigns pauses every RUNNING campaign with the reason, and nothing else', async () => {
      const repo = await makeRepo();
      const running = [await campaign(repo, 'RUNNING'), await campaign(repo, 'RUNNING')];
      const others = [await campaign(repo, 'DRAFT'), await campaign(repo, 'COMPLETED'), await campaign(repo, 'PAUSED')];

      expect(await repo.pauseRunningCampaigns({ reason: 'Paused: circuit breaker open for apollo' })).toBe(2);
      for (const c of running)
        expect(await storedCampaign(repo, c.id)).toEqual({ status: 'PAUSED', statusMessage: 'Paused: circuit breaker open for apollo' });
      expect(await storedCampaign(repo, others[0]?.id ?? '')).toEqual({ status: 'DRAFT', statusMessage: null });
      expect(await storedCampaign(repo, others[1]?.id ?? '')).toEqual({ status: 'COMPLETED', statusMessage: null });
      expect(await storedCampaign(repo, others[2]?.id ?? '')).toEqual({ status: 'PAUSED', statusMessage: null });
      expect(await repo.pauseRunningCampaigns({ reason: 'again' })).toBe(0);
    });

    it('pauseRunningCampaigns with a service pauses only RUNNING campaigns with unfinished jobs on it', async () => {
      const repo = await makeRepo();
      const [service, other] = [uniqueService('scoped'), uniqueService('other')];
      // Each claim below takes the only claimable job of the service at that moment.
      const finished = await campaign(repo, 'RUNNING', 'finished');
      const done = await claimedJobFor(repo, finished.id, service);
      expect(await repo.completeJob({ jobId: done.id, workerId: 'w-done', result: null })).toBe(true);
      const withProcessing = await campaign(repo, 'RUNNING', 'processing');
      await claimedJobFor(repo, withProcessing.id, service);
      const withPending = await campaign(repo, 'RUNNING', 'pending');
      await jobs(repo, withPending.id, service, 1);
      const withPaused = await campaign(repo, 'RUNNING', 'paused job');
      await jobs(repo, withPaused.id, service, 1, 'PAUSED');
      const onlyOther = await campaign(repo, 'RUNNING', 'other service');
      await jobs(repo, onlyOther.id, other, 1);
      const noJobs = await campaign(repo, 'RUNNING', 'no jobs');

      expect(await repo.pauseRunningCampaigns({ reason: 'apollo is down', service })).toBe(3);
      for (const c of [withPending, withPaused, withProcessing])
        expect(await storedCampaign(repo, c.id)).toEqual({ status: 'PAUSED', statusMessage: 'apollo is down' });
      for (const c of [onlyOther, finished, noJobs]) expect((await storedCampaign(repo, c.id)).status).toBe('RUNNING');
    });

    it('readPauseState: every raised fence with its reason, and whether RUNNING campaigns are still in its scope', async () => {
      const repo = await makeRepo();
      const [tripped, affecting, healthy] = [uniqueService('tripped'), uniqueService('affecting'), uniqueService('healthy')];
      const ownFences = async (scope: 'all' | 'affected') =>
        (await repo.readPauseState({ scope })).filter((fence) => [tripped, affecting, healthy].includes(fence.service));
      expect(await ownFences('all')).toEqual([]);

      const bystander = await campaign(repo, 'RUNNING');
      await jobs(repo, bystander.id, healthy, 1);
      const before = Date.now();
      await repo.pauseJobsForService(tripped, 'Circuit breaker open for tripped');
      const all = await ownFences('all');
      expect(all).toMatchObject([{ service: tripped, reason: 'Circuit breaker open for tripped', runningCampaigns: true }]);
      expect(all[0]?.pausedAt).toBeInstanceOf(Date);
      // Database clocks may run a little apart from this process's.
      expect(all[0]?.pausedAt.getTime() ?? 0).toBeGreaterThan(before - 60_000);
      // Scope `affected`: the running campaign has no work on the tripped service.
      expect(await ownFences('affected')).toMatchObject([{ service: tripped, runningCampaigns: false }]);

      const affected = await campaign(repo, 'RUNNING');
      await jobs(repo, affected.id, affecting, 1);
      await repo.pauseJobsForService(affecting, 'Circuit breaker open for affecting');
      const byService = (fences: Awaited<ReturnType<typeof ownFences>>) =>
        Object.fromEntries(fences.map((f) => [f.service, f.runningCampaigns]));
      expect(byService(await ownFences('affected'))).toEqual({ [tripped]: false, [affecting]: true });

      await repo.pauseRunningCampaigns({ reason: 'Paused' });
      expect(byService(await ownFences('all'))).toEqual({ [tripped]: false, [affecting]: false });

      await repo.resumeJobsForService(tripped);
      expect((await ownFences('all')).map((fence) => fence.service)).toEqual([affecting]);
    });
  });
}
