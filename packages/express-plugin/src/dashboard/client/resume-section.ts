/** The Manual Queue Resume section: why it is blocked or what it would resume, the button, and the outcome. */
import { RESUME_BUTTON_LABEL, RESUMING_BUTTON_LABEL } from '@breakwater/core';
import type { WireStatus } from '../../wire-format.js';
import type { DashboardState } from './dashboard-state.js';
import { byId, el, renderMessage } from './dom.js';
import { resumeWording } from './resume-wording.js';

export function renderResume(status: WireStatus, state: DashboardState): void {
  const body = byId('resume-body');
  const blocked = status.blocked_by;
  const wording = resumeWording(status, state);
  body.setAttribute('data-state', wording.state);
  byId('resume-heading').textContent = wording.heading;
  byId('resume-detail').textContent = wording.detail;
  // The document's "Before Queue Resume": what the operator must do, on a line of its own.
  const action = byId('resume-action');
  action.hidden = wording.requiredAction === null;
  action.textContent = wording.requiredAction ?? '';

  byId('resume-preview').hidden = !(blocked.length === 0 && state.preview);
  if (state.preview) {
    byId('preview-jobs').textContent = String(state.preview.jobs_resumed);
    byId('preview-campaigns').textContent = String(state.preview.campaigns_eligible);
  }

  const othersResuming = status.resume_in_progress && !state.resuming;
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
