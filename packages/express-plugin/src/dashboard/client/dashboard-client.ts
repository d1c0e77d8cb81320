/**
 * The dashboard's browser script (compiled into one inline script by the build, see dashboard-page.ts):
 * loads the status and, while nothing blocks a resume, what a resume would do; resets breakers and
 * resumes the queue on the operator's click; refetches whenever the event stream reports a change.
 */
import { BREAKWATER_EVENT_NAMES, resumeSucceededNotice } from '@breakwater/core';
import type { BreakwaterEventName, WireReport } from '@breakwater/core';
import type { WireStatus } from '../../wire-format.js';
import { api, endpoint } from './api.js';
import { initialState } from './dashboard-state.js';
import { byId } from './dom.js';
import { CAMPAIGN_DISPLAY_ORDER, JOB_DISPLAY_ORDER } from './looks.js';
import { renderResume } from './resume-section.js';
import { renderServices } from './service-table.js';
import { renderCounts, renderLastReport } from './summary.js';

/**
 * Events that change nothing the page shows: a refresh on them would loop, as the page's own preview
 * (a dry run) announces them.
 */
const QUIET_EVENTS: readonly BreakwaterEventName[] = ['resume:requested', 'resume:blocked'];
const CHANGE_EVENTS = BREAKWATER_EVENT_NAMES.filter((name) => !QUIET_EVENTS.includes(name));

const state = initialState();

// ---- loading -------------------------------------------------------------------------------

let refreshing = false;
let refreshAgain = false;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;

/** One refresh for a burst of events. */
function scheduleRefresh(): void {
  if (refreshTimer !== null) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    void refresh();
  }, 150);
}

async function refresh(): Promise<void> {
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  refreshing = true;
  try {
    const status = await api<WireStatus>('GET', 'status');
    state.status = status;
    state.loadError = null;
    state.updatedAt = new Date();
    state.preview = status.blocked_by.length > 0 ? null : await api<WireReport>('GET', 'resume-queue/preview').catch(() => null);
  } catch (error) {
    state.loadError = (error as Error).message;
  }
  refreshing = false;
  render();
  if (refreshAgain) {
    refreshAgain = false;
    await refresh();
  }
}

// ---- actions -------------------------------------------------------------------------------

async function resumeQueue(): Promise<void> {
  if (state.resuming) return;
  const button = byId<HTMLButtonElement>('resume-button');
  const hadFocus = document.activeElement === button;
  state.resuming = true;
  state.resumeResult = null;
  state.notice = null;
  render();
  try {
    const report = await api<WireReport | null>('POST', 'resume-queue');
    state.resumeResult = {
      kind: 'success',
      text: resumeSucceededNotice(report?.message ?? ''),
      errors: report?.campaign_resume_errors ?? [],
    };
  } catch (error) {
    state.resumeResult = { kind: 'error', text: (error as Error).message, errors: [] };
  }
  state.resuming = false;
  render();
  await refresh();
  if (hadFocus && !button.disabled) button.focus();
}

async function resetBreaker(service: string): Promise<void> {
  if (state.pendingResets.has(service)) return;
  state.pendingResets.add(service);
  render();
  try {
    await api('POST', `circuit-breakers/${encodeURIComponent(service)}/reset`);
    state.notice = {
      kind: 'success',
      text: `Circuit breaker for ${service} reset to closed. Paused queues and campaigns stay paused until you resume the queue.`,
    };
  } catch (error) {
    state.notice = { kind: 'error', text: (error as Error).message };
  }
  state.pendingResets.delete(service);
  await refresh();
}

// ---- rendering -----------------------------------------------------------------------------

function renderConnection(): void {
  byId('connection').setAttribute('data-live', state.live === null ? 'pending' : String(state.live));
  byId('connection-text').textContent = state.live === null ? 'Connecting…' : state.live ? 'Live updates' : 'Reconnecting…';
}

function render(): void {
  renderConnection();
  const loadError = byId('load-error');
  loadError.hidden = !state.loadError;
  loadError.textContent = state.loadError ? `Could not load the queue status: ${state.loadError}` : '';
  const status = state.status;
  if (!status) return;
  renderResume(status, state);
  renderServices(status, state, (service) => void resetBreaker(service));
  renderCounts('campaign-counts', CAMPAIGN_DISPLAY_ORDER, status.campaigns);
  renderCounts('job-counts', JOB_DISPLAY_ORDER, status.jobs);
  renderLastReport(status.last_report);
}

// ---- live updates --------------------------------------------------------------------------

function connect(): void {
  if (typeof EventSource === 'undefined') {
    setInterval(() => void refresh(), 10_000);
    return;
  }
  const source = new EventSource(endpoint('events'));
  source.onopen = () => {
    state.live = true;
    renderConnection();
    void refresh();
  };
  source.onerror = () => {
    state.live = false;
    renderConnection();
  };
  for (const name of CHANGE_EVENTS) source.addEventListener(name, scheduleRefresh);
}

byId('resume-button').addEventListener('click', () => void resumeQueue());
render();
void refresh();
connect();
