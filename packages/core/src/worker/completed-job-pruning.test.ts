import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logger.js';
import type { CampaignRepository, PruneCompletedJobsInput } from '../ports.js';
import { CompletedJobPruning, PRUNE_BATCH, PRUNE_INTERVAL_MS } from './completed-job-pruning.js';

function pruningWith(deletions: number[]) {
  const calls: PruneCompletedJobsInput[] = [];
  const campaigns = {
    pruneCompletedJobs: async (input: PruneCompletedJobsInput) => {
      calls.push(input);
      return deletions.shift() ?? 0;
    },
  } as unknown as CampaignRepository;
  const pruning = new CompletedJobPruning({
    campaigns,
    service: 'apollo',
    limits: { maxAgeMs: 60_000 },
    logger: silentLogger,
    workerId: 'w',
  });
  return { pruning, calls };
}

describe('CompletedJobPruning', () => {
  it('prunes at most once per interval, again and again while a statement deletes a full batch', async () => {
    const { pruning, calls } = pruningWith([PRUNE_BATCH, PRUNE_BATCH, 3]);
    pruning.completed(10_000);
    pruning.completed(10_001); // one under way: nothing more
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    await pruning.stop();
    expect(calls).toEqual(Array.from({ length: 3 }, () => ({ service: 'apollo', maxAgeMs: 60_000, limit: PRUNE_BATCH })));
  });

  it('stops after the statement under way', async () => {
    const { pruning, calls } = pruningWith([PRUNE_BATCH, PRUNE_BATCH, PRUNE_BATCH]);
    pruning.completed(10_000);
    await pruning.stop();
    expect(calls).toHaveLength(1);
  });

  it('waits for the interval after a prune, and starts none once stopped', async () => {
    const { pruning, calls } = pruningWith([]);
    pruning.completed(10_000);
    await new Promise((resolve) => setImmediate(resolve));
    pruning.completed(10_000 + PRUNE_INTERVAL_MS - 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(1);
    pruning.completed(10_000 + PRUNE_INTERVAL_MS);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(2);
    await pruning.stop();
    pruning.completed(10_000 + 10 * PRUNE_INTERVAL_MS);
    expect(calls).toHaveLength(2);
  });
});
