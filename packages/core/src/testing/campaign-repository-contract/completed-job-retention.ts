/** Retention: `pruneCompletedJobs` deletes a service's COMPLETED jobs beyond an age or a count, and nothing else. */
import type { CampaignRepository } from '../../ports.js';
import { uniqueService } from '../unique-service.js';
import { sleep } from '../waiting.js';
import { campaign, ids, jobs } from './contract-suite.js';
import type { ContractSuite } from './contract-suite.js';

export function completedJobRetentionCases(suite: ContractSuite): void {
  const { describe, it, expect } = suite.api;
  const { makeRepo } = suite;

  /** Completes `count` new jobs of `service` one at a time, in order, and returns them. */
  async function completeNew(repo: CampaignRepository, campaignId: string, service: string, count: number) {
    const made = await jobs(repo, campaignId, service, count);
    for (const job of made) {
      const [held] = await repo.claimJobs({ service, workerId: 'w', limit: 1, leaseMs: 60_000 });
      if (held?.id !== job.id) throw new Error('claimed another job than the oldest');
      await repo.completeJob({ jobId: held.id, workerId: 'w', result: 'ok' });
      // Completion times apart, so "most recently completed" has one answer on every server.
      await sleep(5);
    }
    return made;
  }

  describe('completed-job retention', () => {
    it('pruneCompletedJobs with maxCount keeps the most recently completed; other statuses and services untouched', async () => {
      const repo = await makeRepo();
      const owner = await campaign(repo, 'RUNNING');
      const [service, other] = [uniqueService('prune-count'), uniqueService('prune-other')];
      const completed = await completeNew(repo, owner.id, service, 5);
      const otherCompleted = await completeNew(repo, owner.id, other, 2);
      const waiting = await jobs(repo, owner.id, service, 2);
      const paused = await jobs(repo, owner.id, service, 1, 'PAUSED');

      expect(await repo.pruneCompletedJobs({ service, maxCount: 2, limit: 100 })).toBe(3);
      expect(ids(await repo.listJobs({ service, status: 'COMPLETED' }))).toEqual(ids(completed.slice(3)));
      expect(ids(await repo.listJobs({ service, status: 'PENDING' }))).toEqual(ids(waiting));
      expect(ids(await repo.listJobs({ service, status: 'PAUSED' }))).toEqual(ids(paused));
      expect(ids(await repo.listJobs({ service: other }))).toEqual(ids(otherCompleted));
      expect(await repo.pruneCompletedJobs({ service, maxCount: 2, limit: 100 })).toBe(0);
      expect(await repo.pruneCompletedJobs({ service, maxCount: 0, limit: 100 })).toBe(2);
      expect(await repo.listJobs({ service, status: 'COMPLETED' })).toEqual([]);
    });

    it('pruneCompletedJobs with maxAgeMs deletes the jobs completed longer ago than that', async () => {
      const repo = await makeRepo();
      const owner = await campaign(repo, 'RUNNING');
      const service = uniqueService('prune-age');
      await completeNew(repo, owner.id, service, 3);
      await sleep(400);
      const recent = await completeNew(repo, owner.id, service, 2);

      expect(await repo.pruneCompletedJobs({ service, maxAgeMs: 200, limit: 100 })).toBe(3);
      expect(ids(await repo.listJobs({ service }))).toEqual(ids(recent));
      // With both limits, a job goes when either says so.
      expect(await repo.pruneCompletedJobs({ service, maxAgeMs: 60_000, maxCount: 1, limit: 100 })).toBe(1);
      expect(ids(await repo.listJobs({ service }))).toEqual(ids(recent.slice(1)));
    }, 10_000);

    it('pruneCompletedJobs deletes at most `limit` jobs a call, the oldest first', async () => {
      const repo = await makeRepo();
      const owner = await campaign(repo, 'RUNNING');
      const service = uniqueService('prune-limit');
      const completed = await completeNew(repo, owner.id, service, 5);

      expect(await repo.pruneCompletedJobs({ service, maxCount: 0, limit: 2 })).toBe(2);
      expect(ids(await repo.listJobs({ service }))).toEqual(ids(completed.slice(2)));
      expect(await repo.pruneCompletedJobs({ service, maxCount: 0, limit: 2 })).toBe(2);
      expect(await repo.pruneCompletedJobs({ service, maxCount: 0, limit: 2 })).toBe(1);
      expect(await repo.listJobs({ service })).toEqual([]);
    });
  });
}
