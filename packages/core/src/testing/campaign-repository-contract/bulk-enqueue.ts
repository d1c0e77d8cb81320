/** Bulk enqueue: `enqueueJobs` follows `enqueueJob`'s rules for every job, and a batch goes in whole or not at all. */
import type { RepositoryChange } from '../../ports.js';
import { caseNeeding } from '../capability.js';
import { errorCode, rejectionOf } from '../rejection.js';
import { uniqueService } from '../unique-service.js';
import { sleep, waitUntil } from '../waiting.js';
import { MISSING_ID, campaign, ids } from './contract-suite.js';
import type { ContractSuite } from './contract-suite.js';

export function bulkEnqueueCases(suite: ContractSuite): void {
  const { describe, it, expect } = suite.api;
  const { makeRepo, storedJob } = suite;

  describe('bulk enqueue', () => {
    it('enqueueJobs: every job stored as enqueueJob stores it, returned in the order given', async () => {
      const repo = await makeRepo();
      const [a, b] = [await campaign(repo, 'RUNNING'), await campaign(repo, 'DRAFT')];
      const [s1, s2] = [uniqueService('bulk-1'), uniqueService('bulk-2')];
      const inputs = [
        { campaignId: a.id, service: s1, payload: { lead: { email: 'ada@example.com' }, n: 0 } },
        { campaignId: b.id, service: s2, payload: { n: 1 } },
        { campaignId: a.id, service: s2 },
        { campaignId: a.id, service: s1, payload: { n: 3 }, status: 'PAUSED' as const },
      ];
      const added = await repo.enqueueJobs(inputs);

      expect(added.map((job) => [job.campaignId, job.service, job.payload])).toEqual(
        inputs.map((input) => [input.campaignId, input.service, input.payload ?? null]),
      );
      expect(added.map((job) => job.status)).toEqual(['PENDING', 'PENDING', 'PENDING', 'PAUSED']);
      expect(new Set(ids(added)).size).toBe(4);
      for (const job of added) {
        expect(job).toMatchObject({ error: null, attempts: 0, result: null, leaseOwner: null, leaseExpiresAt: null });
        expect(await repo.getJob(job.id)).toEqual(job);
        expect(await storedJob(repo, job.id)).toEqual({ status: job.status, error: null, attempts: 0 });
      }
      // Oldest first means the batch's order, also for the claim.
      expect(ids(await repo.listJobs({ campaignId: a.id }))).toEqual(ids([added[0]!, added[2]!, added[3]!]));
    });

    it('enqueueJobs into a paused service: its jobs PAUSED with the pause reason, the other services PENDING', async () => {
      const repo = await makeRepo();
      const owner = await campaign(repo, 'RUNNING');
      const [fenced, open] = [uniqueService('bulk-fenced'), uniqueService('bulk-open')];
      await repo.pauseJobsForService(fenced, 'Circuit breaker open for apollo');

      const added = await repo.enqueueJobs([
        { campaignId: owner.id, service: fenced },
        { campaignId: owner.id, service: open },
        { campaignId: owner.id, service: fenced, payload: { n: 2 } },
      ]);
      expect(added.map((job) => [job.status, job.error])).toEqual([
        ['PAUSED', 'Circuit breaker open for apollo'],
        ['PENDING', null],
        ['PAUSED', 'Circuit breaker open for apollo'],
      ]);
      expect(await storedJob(repo, added[2]!.id)).toEqual({ status: 'PAUSED', error: 'Circuit breaker open for apollo', attempts: 0 });

      await repo.resumeJobsForService(fenced);
      const [after] = await repo.enqueueJobs([{ campaignId: owner.id, service: fenced }]);
      expect(after).toMatchObject({ status: 'PENDING', error: null });
    });

    it('enqueueJobs with a missing campaign: NotFoundError naming it, and nothing of the batch is stored', async () => {
      const repo = await makeRepo();
      const owner = await campaign(repo, 'RUNNING');
      const service = uniqueService('bulk-missing');
      const error = await rejectionOf(
        repo.enqueueJobs([
          { campaignId: owner.id, service },
          { campaignId: MISSING_ID, service },
          { campaignId: owner.id, service },
        ]),
      );
      expect(errorCode(error)).toBe('NOT_FOUND');
      expect((error as Error).message).toBe(`Campaign ${MISSING_ID} not found`);
      expect(await repo.listJobs({ service })).toEqual([]);
      expect(Object.values(await repo.countJobsByStatus()).reduce((sum, count) => sum + count, 0)).toBe(0);
    });

    it('enqueueJobs of an empty list adds nothing and notifies nobody', async () => {
      const repo = await makeRepo();
      // Only what an empty batch could announce: other repositories' enqueues may share the channel.
      const seen: RepositoryChange[] = [];
      const unsubscribe = repo.subscribe?.((change) => {
        if (change.kind === 'jobs-enqueued' && change.count === 0) seen.push(change);
      });
      try {
        expect(await repo.enqueueJobs([])).toEqual([]);
        await sleep(100);
        expect(seen).toEqual([]);
        expect(await repo.listJobs()).toEqual([]);
      } finally {
        unsubscribe?.();
      }
    });

    caseNeeding(
      suite.api,
      suite.options.subscribe,
      'subscribe hears a batch as one change per service, with its count',
      async () => {
        const repo = await makeRepo();
        if (!repo.subscribe) throw new Error('declared subscribe: true, but the repository has no subscribe');
        const owner = await campaign(repo, 'RUNNING');
        const [s1, s2] = [uniqueService('bulk-notify-1'), uniqueService('bulk-notify-2')];
        const seen: RepositoryChange[] = [];
        const unsubscribe = repo.subscribe((change) => {
          if (change.service === s1 || change.service === s2) seen.push(change);
        });
        try {
          await repo.enqueueJobs(Array.from({ length: 50 }, (_, n) => ({ campaignId: owner.id, service: n < 30 ? s1 : s2 })));
          expect(await waitUntil(() => seen.length >= 2)).toBe(true);
          await sleep(100);
          expect([...seen].sort((x, y) => x.service.localeCompare(y.service))).toEqual(
            [
              { kind: 'jobs-enqueued', service: s1, count: 30 },
              { kind: 'jobs-enqueued', service: s2, count: 20 },
            ].sort((x, y) => x.service.localeCompare(y.service)),
          );
        } finally {
          unsubscribe();
        }
      },
      10_000,
    );

    it('concurrency: batches racing a pause of their service leave none of its jobs PENDING once the pause returned', async () => {
      const repo = await makeRepo();
      const owner = await campaign(repo, 'RUNNING');
      const service = uniqueService('bulk-race');
      const batch = () => repo.enqueueJobs(Array.from({ length: 40 }, (_, n) => ({ campaignId: owner.id, service, payload: { n } })));
      const racing = Promise.all([batch(), batch(), batch()]);
      await repo.pauseJobsForService(service, 'tripped');
      const late = await batch();
      expect((await racing).flat()).toHaveLength(120);
      expect(late.every((job) => job.status === 'PAUSED' && job.error === 'tripped')).toBe(true);
      expect(await repo.countJobsByStatus({ service })).toMatchObject({ PENDING: 0, PAUSED: 160 });
    });
  });
}
