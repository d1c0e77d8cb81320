/**
 * Resume at scale with the outcome of one transaction per campaign (docs/manual-resume.md#the-steps,
 * step 6): when a batch fails, split it until the failing campaigns are isolated.
 *
 * Each batch is one transaction. When the database refuses it (a trigger, a constraint), nothing in
 * it changed, so the batch is split in halves and each half tried again, down to single campaigns: a
 * campaign alone that still fails is reported with the database's message, every other one resumes.
 * A lost connection is no campaign's fault: the batch is retried once whole, and if the database
 * stays unreachable this batch and the rest fail with that message, without a round trip per campaign.
 */
import { InvalidTransitionError, type CampaignResumeOutcome } from '@breakwater/core';
import { errorMessage, isConnectionFailure } from './driver-errors.js';

/** One transaction over these (distinct) ids: an outcome per id, in order, or a throw when it rolled back. */
export type ResumeBatch = (ids: readonly string[]) => Promise<CampaignResumeOutcome[]>;

export async function resumeInIsolatingBatches(
  ids: readonly string[],
  batchSize: number,
  resumeBatch: ResumeBatch,
): Promise<CampaignResumeOutcome[]> {
  const unique = [...new Set(ids)];
  const outcomes = new Map<string, CampaignResumeOutcome>();
  let unreachable: string | null = null;

  const settle = async (batch: readonly string[], retried: boolean): Promise<void> => {
    if (unreachable !== null) return failAll(batch, unreachable);
    try {
      for (const outcome of await resumeBatch(batch)) outcomes.set(outcome.id, outcome);
    } catch (error) {
      if (isConnectionFailure(error)) {
        if (!retried) return settle(batch, true);
        unreachable = errorMessage(error);
        return failAll(batch, unreachable);
      }
      const [only] = batch;
      if (batch.length === 1 && only !== undefined) {
        outcomes.set(only, { id: only, ok: false, error: errorMessage(error) });
        return;
      }
      const middle = Math.ceil(batch.length / 2);
      await settle(batch.slice(0, middle), false);
      await settle(batch.slice(middle), false);
    }
  };

  const failAll = (batch: readonly string[], message: string): void => {
    for (const id of batch) outcomes.set(id, { id, ok: false, error: message });
  };

  for (let start = 0; start < unique.length; start += batchSize) {
    await settle(unique.slice(start, start + batchSize), false);
  }
  return inRequestOrder(ids, outcomes);
}

/**
 * One outcome per requested id, in order. An id asked for twice gets, the second time, what a second
 * transaction would have found: a campaign already RUNNING (an invalid transition), or the same failure.
 */
function inRequestOrder(ids: readonly string[], outcomes: ReadonlyMap<string, CampaignResumeOutcome>): CampaignResumeOutcome[] {
  const seen = new Set<string>();
  return ids.map((id) => {
    const outcome = outcomes.get(id);
    // Every batch answers for each of its ids; a gap would be a bug in the batch statement.
    if (outcome === undefined) throw new Error(`resumeCampaigns recorded no outcome for campaign ${id}`);
    if (seen.has(id) && outcome.ok) return { id, ok: false, error: new InvalidTransitionError('RUNNING', 'RUNNING').message };
    seen.add(id);
    return outcome;
  });
}
