/** Change notifications: `subscribe`, for the adapters that declare it (skipped by name for the others). */
import type { RepositoryChange } from '../../ports.js';
import { caseNeeding } from '../capability.js';
import { uniqueService } from '../unique-service.js';
import { sleep, waitUntil } from '../waiting.js';
import { campaign } from './contract-suite.js';
import type { ContractSuite } from './contract-suite.js';

export function notificationCases(suite: ContractSuite): void {
  const { api } = suite;
  const { expect } = api;
  const { makeRepo, options } = suite;

  caseNeeding(
    api,
    options.subscribe,
    'subscribe reports every enqueued job until unsubscribed',
    async () => {
      const repo = await makeRepo();
      if (!repo.subscribe) throw new Error('declared subscribe: true, but the repository has no subscribe');
      const owner = await campaign(repo, 'RUNNING');
      const service = uniqueService('notify');
      const seen: Extract<RepositoryChange, { kind: 'job-enqueued' }>[] = [];
      const unsubscribe = repo.subscribe((change) => {
        if (change.service === service && change.kind === 'job-enqueued') seen.push(change);
      });
      try {
        const first = await repo.enqueueJob({ campaignId: owner.id, service });
        const second = await repo.enqueueJob({ campaignId: owner.id, service, status: 'PAUSED' });
        expect(await waitUntil(() => seen.length >= 2)).toBe(true);
        expect([...seen].sort((x, y) => x.jobId.localeCompare(y.jobId))).toEqual(
          [first, second].map((job) => ({ kind: 'job-enqueued', service, jobId: job.id })).sort((x, y) => x.jobId.localeCompare(y.jobId)),
        );
      } finally {
        unsubscribe();
      }
      await repo.enqueueJob({ campaignId: owner.id, service });
      await sleep(100);
      expect(seen).toHaveLength(2);
    },
    10_000,
  );
}
