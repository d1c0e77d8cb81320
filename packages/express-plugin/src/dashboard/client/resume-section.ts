/** The Manual Queue Resume section: why it is blocked or what it would resume, the button, and the outcome. */
import {
  REQUIRED_ACTION_RESET,
  RESUME_BLOCKED_HEADING,
  RESUME_BUTTON_LABEL,
  RESUME_READY_HEADING,
  RESUMING_BUTTON_LABEL,
  breakersStillOpen,
} from '@breakwater/core';
import type { WireStatus } from '../../wire-format.js';
import type { DashboardState } from './dashboard-state.js';
import { byId, el, renderMessage } from './dom.js';

export function renderResume(status: WireStatus, state: DashboardState): void {
  const body = byId('resume-body');
  const blocked = status.blocked_by;
  let detail: string;
  if (blocked.length > 0) {
    body.setAttribute('data-state', 'blocked');
    byId('resume-heading').textContent = RESUME_BLOCKED_HEADING;
    detail = `${breakersStillOpen(blocked)}.`;
  } else {
    body.setAttribute('data-state', 'ready');
    byId('resume-heading').textContent = RESUME_READY_HEADING;
    const nothingPaused = state.preview && state.preview.jobs_resumed === 0 && state.preview.campaigns_eligible === 0;
    detail = nothingPaused
      ? 'All circuit breakers are closed and nothing is paused.'
      : 'All circuit breakers are closed. Resuming restarts every service queue, its paused jobs and every paused campaign.';
  }
  const othersResuming = status.resume_in_progress && !state.resuming;
  if (othersResuming) detail += ' A queue resume is in progress right now.';
  byId('resume-detail').textContent = detail;
  // The document's "Before Queue Resume": what the operator must do, on a line of its own.
  const action = byId('resume-action');
  action.hidden = blocked.length === 0;
  action.textContent = blocked.length > 0 ? REQUIRED_ACTION_RESET : '';

  byId('resume-preview').hidden = !(blocked.length === 0 && state.preview);
  if (state.preview) {
    byId('preview-jobs').textContent = String(state.preview.jobs_resumed);
    byId('preview-campaigns').textContent = String(state.preview.campaigns_eligible);
  }

  const button = byId<HTMLButtonElement>('resume-button');
  button.textContent = state.resuming ? RESUMING_BUTTON_LABEL : RESUME_BUTTON_LABEL;
  button.disabled = state.resuming || blocked.length > 0 || othersResuming;
  button.setAttribute('aria-busy', String(state.resuming));

  const result = state.resumeResult;
  renderMessage(byId('resume-message'), result?.kind === 'success' ? result : null);
  const errorNode = byId('resume-error');
  if (result?.kind === 'error') {
    renderMessage(errorNode, result);
  } else if (result && result.errors.length > 0) {
    renderMessage(errorNode, { kind: 'error', text: `${result.errors.length} campaign(s) could not be resumed:` });
    const list = el('ul');
    for (const text of result.errors) list.appendChild(el('li', null, text));
    errorNode.appendChild(list);
  } else {
    renderMessage(errorNode, null);
  }
}
