import { describe, expect, it } from 'vitest';
import { CAMPAIGN_TRANSITIONS, assertTransition, canTransition } from './campaign-transitions.js';
import { CAMPAIGN_STATUSES } from './domain.js';
import type { CampaignStatus } from './domain.js';
import { InvalidTransitionError, ResumeQueueRequiredError, isBreakwaterError } from './errors.js';

/** The table written out move by move, so that changing it is a deliberate act. */
const ALLOWED: readonly [CampaignStatus, CampaignStatus][] = [
  ['DRAFT', 'RUNNING'],
  ['DRAFT', 'CANCELLED'],
  ['RUNNING', 'PAUSED'],
  ['RUNNING', 'COMPLETED'],
  ['RUNNING', 'FAILED'],
  ['RUNNING', 'CANCELLED'],
  ['PAUSED', 'FAILED'],
  ['PAUSED', 'CANCELLED'],
];

const allPairs = CAMPAIGN_STATUSES.flatMap((from) => CAMPAIGN_STATUSES.map((to) => [from, to] as const));
const isAllowed = (from: CampaignStatus, to: CampaignStatus) => ALLOWED.some(([f, t]) => f === from && t === to);

describe('campaign transition table', () => {
  it('has a row for every status', () => {
    expect(Object.keys(CAMPAIGN_TRANSITIONS).sort()).toEqual([...CAMPAIGN_STATUSES].sort());
  });

  it.each(allPairs)('%s → %s is allowed exactly when the table says so', (from, to) => {
    expect(canTransition(from, to)).toBe(isAllowed(from, to));
  });

  it('allows every listed move through assertTransition', () => {
    for (const [from, to] of ALLOWED) expect(() => assertTransition(from, to)).not.toThrow();
  });

  it('refuses every other move with InvalidTransitionError carrying from and to', () => {
    const refused = allPairs.filter(([from, to]) => !isAllowed(from, to) && !(from === 'PAUSED' && to === 'RUNNING'));
    expect(refused).toHaveLength(CAMPAIGN_STATUSES.length ** 2 - ALLOWED.length - 1);
    for (const [from, to] of refused) {
      let caught: unknown;
      try {
        assertTransition(from, to);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidTransitionError);
      expect(isBreakwaterError(caught)).toBe(true);
      expect(caught).toMatchObject({ code: 'INVALID_TRANSITION', message: 'Invalid campaign state transition', from, to });
    }
  });

  it('refuses PAUSED → RUNNING with an error that names resumeQueue as the way back', () => {
    let caught: unknown;
    try {
      assertTransition('PAUSED', 'RUNNING');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ResumeQueueRequiredError);
    expect(caught).toBeInstanceOf(InvalidTransitionError);
    expect(caught).toMatchObject({ code: 'INVALID_TRANSITION', from: 'PAUSED', to: 'RUNNING' });
    expect((caught as Error).message).toMatch(/^Invalid campaign state transition: a PAUSED campaign resumes only through resumeQueue/);
  });

  it('finished campaigns never move again, and nothing moves to itself', () => {
    for (const done of ['COMPLETED', 'FAILED', 'CANCELLED'] as const) expect(CAMPAIGN_TRANSITIONS[done]).toEqual([]);
    for (const status of CAMPAIGN_STATUSES) expect(canTransition(status, status)).toBe(false);
  });

  it('nothing moves back to DRAFT, and only RUNNING pauses', () => {
    for (const status of CAMPAIGN_STATUSES) {
      expect(canTransition(status, 'DRAFT')).toBe(false);
      expect(canTransition(status, 'PAUSED')).toBe(status === 'RUNNING');
    }
  });
});
