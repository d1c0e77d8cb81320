/** Resuming campaigns: paging through the paused ones, each campaign's resume with the outcome of its own transaction, and resuming a service's jobs in bulk. */
import { randomUUID } from 'node:crypto';
import type { Job } from '../../domain.js';
import { caseNeeding, isNotSupported } from '../capability.js';
import { uniqueService } from '../unique-service.js';
import { MISSING_ID, RESUMED, campaign, claimedJobFor, jobs, repausedJobs } from './contract-suite.js';
import type { ContractSuite } from './contract-suite.js';

export function campaignResumeCases(suite: ContractSuite): void {
  const { describe, it, expect } = suite.api;
  const { makeRepo, options, storedCampaign, storedJob } = suite;

  describe('resuming campaigns', () => {
    it('listPausedCampaignIds pages through every PAUSED campaign exactly once, even while they resume', async () => {
      const repo = await makeRepo();
      const paused: string[] = [];
      for (let i = 0; i < 7; i++) {
        paused.push((await campaign(repo, 'PAUSED')).id);
        await campaign(repo, i % 2 === 0 ? 'RUNNING' : 'DRAFT');
      }
      const seen: string[] = [];
      let after: string | undefined;
      for (let round = 0; round < 10; round++) {
        const page = await repo.listPausedCampaignIds({ ...(after === undefined ? {} : { after }), limit: 3 });
        expect(page.length).toBeLessThanOrEqual(3);
        if (page.length === 0) break;
        seen.push(...page);
        after = page[page.length - 1];
        // The resume loop resumes what it has read before asking for the next page.
        await repo.resumeCampaigns(page.slice(0, 1), RESUMED);
      }
      expect([...seen].sort()).toEqual([...paused].sort());
      expect(new Set(seen).size).toBe(seen.length);
      expect(await repo.listPausedCampaignIds({ limit: 100 })).toHaveLength(7 - 3);
    });

    it('resumeCampaigns: PAUSED → RUNNING with the message, its PAUSED jobs → PENDING with errors cleared', async () => {
      const repo = await makeRepo();
      const service = uniqueService('resume');
      const target = await campaign(repo, 'RUNNING');
      const done = await claimedJobFor(repo, target.id, service);
      await repo.completeJob({ jobId: done.id, workerId: 'w-done', result: { ok: true } });
      // Paused after step 5 lowered the service's fence (their workers put them back): what step 6 resumes.
      const pausedJobs = await repausedJobs(repo, target.id, service, 3, 'apollo down');
      await repo.pauseRunningCampaigns({ reason: 'Paused: apollo down' });
      const before = await repo.getCampaign(target.id);
      const bystander = await campaign(repo, 'RUNNING');
      const bystanderJob = await repo.enqueueJob({ campaignId: bystander.id, service: uniqueService('b'), status: 'PAUSED' });

      const outcomes = await repo.resumeCampaigns([target.id], RESUMED);
      expect(outcomes).toEqual([{ id: target.id, ok: true, jobsResumed: 3 }]);
      expect(await storedCampaign(repo, target.id)).toEqual({ status: 'RUNNING', statusMessage: RESUMED });
      const after = await repo.getCampaign(target.id);
      expect(after?.updatedAt.getTime() ?? 0).toBeGreaterThanOrEqual(before?.updatedAt.getTime() ?? Infinity);
      for (const job of pausedJobs) expect(await storedJob(repo, job.id)).toEqual({ status: 'PENDING', error: null, attempts: 0 });
      expect((await storedJob(repo, done.id)).status).toBe('COMPLETED');
      expect((await storedJob(repo, bystanderJob.id)).status).toBe('PAUSED');
    });

    it('resumeCampaigns leaves the jobs of a fenced service PAUSED (a trip raced the resume) and counts only the jobs it moved', async () => {
      const repo = await makeRepo();
      const tripped = uniqueService('tripped');
      const healthy = uniqueService('healthy');
      const target = await campaign(repo, 'RUNNING');
      const trippedJobs = await jobs(repo, target.id, tripped, 2);
      const healthyJobs = await repausedJobs(repo, target.id, healthy, 3, 'worker put it back');
      await repo.pauseJobsForService(tripped, 'Circuit breaker open for tripped');
      await repo.pauseRunningCampaigns({ reason: 'Paused' });

      expect(await repo.resumeCampaigns([target.id], RESUMED)).toEqual([{ id: target.id, ok: true, jobsResumed: 3 }]);
      expect(await storedCampaign(repo, target.id)).toEqual({ status: 'RUNNING', statusMessage: RESUMED });
      for (const job of healthyJobs) expect(await storedJob(repo, job.id)).toEqual({ status: 'PENDING', error: null, attempts: 0 });
      for (const job of trippedJobs) {
        expect(await storedJob(repo, job.id)).toEqual({ status: 'PAUSED', error: 'Circuit breaker open for tripped', attempts: 0 });
      }
    });

    it('resumeCampaigns: one outcome per id in order; a campaign no longer PAUSED or missing fails alone', async () => {
      const repo = await makeRepo();
      const service = uniqueService('mixed');
      const first = await campaign(repo, 'PAUSED');
      await jobs(repo, first.id, service, 2, 'PAUSED');
      const running = await campaign(repo, 'RUNNING');
      const runningJob = await repo.enqueueJob({ campaignId: running.id, service, status: 'PAUSED' });
      const last = await campaign(repo, 'PAUSED');
      await jobs(repo, last.id, service, 1, 'PAUSED');
      // The table allows DRAFT → RUNNING, but only a PAUSED campaign is resumed.
      const draft = await campaign(repo, 'DRAFT');
      const draftJob = await repo.enqueueJob({ campaignId: draft.id, service, status: 'PAUSED' });

      const outcomes = await repo.resumeCampaigns([last.id, running.id, MISSING_ID, draft.id, first.id], RESUMED);
      expect(outcomes.map((o) => o.id)).toEqual([last.id, running.id, MISSING_ID, draft.id, first.id]);
      expect(outcomes[0]).toEqual({ id: last.id, ok: true, jobsResumed: 1 });
      expect(outcomes[1]).toEqual({ id: running.id, ok: false, error: 'Invalid campaign state transition' });
      expect(outcomes[2]).toMatchObject({ id: MISSING_ID, ok: false });
      expect(outcomes[2]?.ok === false ? outcomes[2].error : '').toMatch(/not found/i);
      expect(outcomes[3]).toEqual({ id: draft.id, ok: false, error: 'Invalid campaign state transition' });
      expect(outcomes[4]).toEqual({ id: first.id, ok: true, jobsResumed: 2 });
      // The campaigns that failed and their jobs are as they were.
      expect(await storedCampaign(repo, running.id)).toEqual({ status: 'RUNNING', statusMessage: null });
      expect((await storedJob(repo, runningJob.id)).status).toBe('PAUSED');
      expect(await storedCampaign(repo, draft.id)).toEqual({ status: 'DRAFT', statusMessage: null });
      expect((await storedJob(repo, draftJob.id)).status).toBe('PAUSED');
      expect(await repo.resumeCampaigns([], RESUMED)).toEqual([]);
    });

    const failCampaignResume = options.failCampaignResume;
    caseNeeding(
      suite.api,
      failCampaignResume,
      'resumeCampaigns: a campaign whose resume fails in the store stays exactly as it was; the others resume',
      async () => {
        if (isNotSupported(failCampaignResume)) throw new Error('unreachable: the case is skipped');
        const repo = await makeRepo();
        const service = uniqueService('trigger');
        const campaigns = [await campaign(repo, 'RUNNING'), await campaign(repo, 'RUNNING'), await campaign(repo, 'RUNNING')];
        const jobsOf = new Map<string, Job[]>();
        for (const c of campaigns) jobsOf.set(c.id, await repausedJobs(repo, c.id, service, 2, 'apollo down'));
        await repo.pauseRunningCampaigns({ reason: 'Paused: apollo down' });
        const [ok1, broken, ok2] = campaigns.map((c) => c.id) as [string, string, string];
        const message = `constraint violated ${randomUUID().slice(0, 8)}`;
        await failCampaignResume(repo, broken, message);

        const outcomes = await repo.resumeCampaigns([ok1, broken, ok2], RESUMED);
        expect(outcomes[0]).toEqual({ id: ok1, ok: true, jobsResumed: 2 });
        expect(outcomes[1]).toMatchObject({ id: broken, ok: false });
        expect(outcomes[1]?.ok === false ? outcomes[1].error : '').toContain(message);
        expect(outcomes[2]).toEqual({ id: ok2, ok: true, jobsResumed: 2 });

        expect(await storedCampaign(repo, broken)).toEqual({ status: 'PAUSED', statusMessage: 'Paused: apollo down' });
        for (const job of jobsOf.get(broken) ?? [])
          expect(await storedJob(repo, job.id)).toEqual({ status: 'PAUSED', error: 'apollo down', attempts: 0 });
        for (const id of [ok1, ok2]) {
          expect(await storedCampaign(repo, id)).toEqual({ status: 'RUNNING', statusMessage: RESUMED });
          for (const job of jobsOf.get(id) ?? [])
            expect(await storedJob(repo, job.id)).toEqual({ status: 'PENDING', error: null, attempts: 0 });
        }
      },
    );

    it('resumeJobsForService handles thousands of jobs', async () => {
      const repo = await makeRepo();
      const service = uniqueService('bulk');
      const [even, odd] = [await campaign(repo, 'RUNNING'), await campaign(repo, 'RUNNING')];
      const total = 2_500;
      for (let start = 0; start < total; start += 100) {
        await Promise.all(
          Array.from({ length: Math.min(100, total - start) }, (_, i) =>
            repo.enqueueJob({ campaignId: (start + i) % 2 === 0 ? even.id : odd.id, service, payload: { n: start + i } }),
          ),
        );
      }
      expect(await repo.pauseJobsForService(service, 'bulk pause')).toBe(total);
      expect(await repo.resumeJobsForService(service)).toBe(total);
      const counts = await repo.countJobsByStatus({ service });
      expect(counts.PENDING).toBe(total);
      expect(counts.PAUSED).toBe(0);
      expect(await repo.listJobs({ service, status: 'PENDING', limit: 5 })).toMatchObject(
        Array.from({ length: 5 }, () => ({ error: null })),
      );
    }, 60_000);
  });
}
