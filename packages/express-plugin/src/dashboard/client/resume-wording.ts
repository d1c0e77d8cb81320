/**
 * What the Manual Queue Resume section says, decided apart from the DOM: a unit test holds it to the words core
 * refuses a resume with, where a change would otherwise surface only in the browser tests.
 */
import { REQUIRED_ACTION_RESET, RESUME_BLOCKED_HEADING, RESUME_READY_HEADING, breakersStillOpen } from '@breakwater/core';
import type { WireStatus } from '../../wire-format.js';
import type { DashboardState } from './dashboard-state.js';

export interface ResumeWording {
  state: 'blocked' | 'ready';
  heading: string;
  detail: string;
  /** The line under the heading telling the operator what to do first, or null when nothing blocks the resume. */
  requiredAction: string | null;
}

export function resumeWording(
  status: Pick<WireStatus, 'blocked_by' | 'resume_in_progress'>,
  state: Pick<DashboardState, 'preview' | 'resuming'>,
): ResumeWording {
  const blocked = status.blocked_by;
  const othersResuming = status.resume_in_progress && !state.resuming;
  const inProgress = othersResuming ? ' A queue resume is in progress right now.' : '';
  if (blocked.length > 0) {
    return {
      state: 'blocked',
      heading: RESUME_BLOCKED_HEADING,
      detail: `${breakersStillOpen(blocked)}.${inProgress}`,
      requiredAction: REQUIRED_ACTION_RESET,
    };
  }
  const nothingPaused = state.preview && state.preview.jobs_resumed === 0 && state.preview.campaigns_eligible === 0;
  const detail = nothingPaused
    ? 'All circuit breakers are closed and nothing is paused.'
    : 'All circuit breakers are closed. Resuming restarts every service queue, its paused jobs and every paused campaign.';
  return { state: 'ready', heading: RESUME_READY_HEADING, detail: `${detail}${inProgress}`, requiredAction: null };
}
