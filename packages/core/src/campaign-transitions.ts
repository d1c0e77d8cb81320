/**
 * The campaign transition table, in one place (docs/architecture.md#the-domain): the moves a host may make
 * (`transitionCampaign`, `startCampaign`). PAUSED → RUNNING is not one of them: a paused campaign comes back
 * only with the manual queue resume (`resumeQueue`, through the repository's `resumeCampaigns`), the one way back.
 */
import type { CampaignStatus } from './domain.js';
import { InvalidTransitionError, ResumeQueueRequiredError } from './errors.js';

export const CAMPAIGN_TRANSITIONS: Readonly<Record<CampaignStatus, readonly CampaignStatus[]>> = {
  DRAFT: ['RUNNING', 'CANCELLED'],
  RUNNING: ['PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED'],
  PAUSED: ['FAILED', 'CANCELLED'],
  COMPLETED: [],
  FAILED: [],
  CANCELLED: [],
};

export function canTransition(from: CampaignStatus, to: CampaignStatus): boolean {
  return CAMPAIGN_TRANSITIONS[from].includes(to);
}

/**
 * The error for a move the table does not allow: `ResumeQueueRequiredError` for PAUSED → RUNNING (its message
 * names `resumeQueue` as the way), `InvalidTransitionError` (`Invalid campaign state transition`) for the others.
 * Adapters that check the table in their store throw this too.
 */
export function transitionRefusal(from: CampaignStatus, to: CampaignStatus): InvalidTransitionError {
  return from === 'PAUSED' && to === 'RUNNING' ? new ResumeQueueRequiredError() : new InvalidTransitionError(from, to);
}

/** Throws `transitionRefusal(from, to)` for a move the table does not allow. */
export function assertTransition(from: CampaignStatus, to: CampaignStatus): void {
  if (!canTransition(from, to)) throw transitionRefusal(from, to);
}
