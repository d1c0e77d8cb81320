/**
 * The dashboard's browser script (compiled into one inline script by the build, see dashboard-page.ts):
 * loads the status and, while nothing blocks a resume, what a resume would do, with the last 24 hours of
 * history, the resume history and the paused campaigns; resets and trips breakers and resumes the queue on
 * the operator's click; refetches whenever the event stream reports a change.
 */
import { BREAKWATER_EVENT_NAMES, resumeSucceededNotice } from '@breakwater/core';
import type { BreakwaterEventName } from '@breakwater/core';
import type { WireReport, WireStatus } from '../../wire-format.js';
import { api, endpoint } from './api.js';
import { renderBackgroundTasks } from './background-tasks-view.js';
import { initialState } from './dashboard-state.js';
import { byId } from './dom.js';
import { RESUME_PAGE, loadPausedCampaigns, loadResumeHistory, loadTimeline } from './insight-loader.js';
import { CAMPAIGN_DISPLAY_ORDER, JOB_DISPLAY_ORDER } from './looks.js';
import { renderPausedCampaigns } from './paused-campaigns.js';
import { renderResumeHistory } from './resume-history.js';
import { renderResume } from './resume-section.js';
import { renderServices } from './service-table.js';
import { renderCounts, renderLastReport } from './summary.js';
import { renderTimeline } from './timeline-chart.js';
import { openTripDialog, setUpTripDialog } from './trip-dialog.js';

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
    await loadInsight();
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

/** The history and the paused campaigns, as far as the operator has paged into them. */
async function loadInsight(): Promise<void> {
  const shownResumes = state.resumeHistory.kind === 'loaded' ? state.resumeHistory.value.entries.length : 0;
  const pausedAfter = state.pausedCampaigns.kind === 'loaded' ? state.pausedCampaigns.value.after : null;
  const [timeline, resumeHistory, pausedCampaigns] = await Promise.all([
    loadTimeline(Date.now()),
    loadResumeHistory(Math.min(500, Math.max(RESUME_PAGE, shownResumes))),
    loadPausedCampaigns(pausedAfter),
  ]);
  Object.assign(state, { timeline, resumeHistory, pausedCampaigns });
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

async function tripBreaker(service: string, reason: string): Promise<string | null> {
  try {
    await api('POST', `circuit-breakers/${encodeURIComponent(service)}/trip`, { reason });
  } catch (error) {
    return (error as Error).message;
  }
  state.notice = {
    kind: 'success',
    text: `Circuit breaker for ${service} tripped: ${reason}. Its queue, jobs and the running campaigns are paused until a queue resume.`,
  };
  await refresh();
  return null;
}

async function showOlderResumes(): Promise<void> {
  if (state.resumeHistory.kind !== 'loaded' || state.resumeHistory.value.nextCursor === null) return;
  const shown = state.resumeHistory.value;
  const older = await loadResumeHistory(RESUME_PAGE, shown.nextCursor);
  if (older.kind === 'loaded') {
    state.resumeHistory = {
      kind: 'loaded',
      value: { entries: [...shown.entries, ...older.value.entries], nextCursor: older.value.nextCursor },
    };
  }
  render();
}

async function turnPausedPage(direction: 'next' | 'previous'): Promise<void> {
  if (state.pausedCampaigns.kind !== 'loaded') return;
  const page = state.pausedCampaigns.value;
  let after: string | null;
  if (direction === 'next') {
    if (page.nextCursor === null) return;
    state.pausedPagesBefore.push(page.after);
    after = page.nextCursor;
  } else {
    if (state.pausedPagesBefore.length === 0) return;
    after = state.pausedPagesBefore.pop() ?? null;
  }
  state.pausedCampaigns = await loadPausedCampaigns(after);
  render();
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
  renderBackgroundTasks(status);
  renderServices(status, state, {
    onReset: (service) => void resetBreaker(service),
    onTrip: (service, button) => openTripDialog(service, button),
  });
  renderTimeline(status, state);
  renderCounts('campaign-counts', CAMPAIGN_DISPLAY_ORDER, status.campaigns);
  renderCounts('job-counts', JOB_DISPLAY_ORDER, status.jobs);
  renderPausedCampaigns(status, state);
  renderLastReport(status.last_report);
  renderResumeHistory(state);
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
byId('resume-history-more').addEventListener('click', () => void showOlderResumes());
byId('paused-next').addEventListener('click', () => void turnPausedPage('next'));
byId('paused-previous').addEventListener('click', () => void turnPausedPage('previous'));
setUpTripDialog(tripBreaker);
render();
void refresh();
connect();
