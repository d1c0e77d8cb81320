/**
 * Whether background tasks run: one line for the whole system (`Background Tasks: Active`, the manual resume's
 * words) from the workers' heartbeats, and per service in the table (see service-table.ts).
 */
import { summarizeBackgroundTasks } from '@breakwater/core';
import type { BackgroundTasksState, ServiceBackgroundTasks } from '@breakwater/core';
import type { WireBackgroundTasks, WireStatus } from '../../wire-format.js';
import { byId, el } from './dom.js';
import type { Look } from './looks.js';
import { renderBadge } from './looks.js';

export const BACKGROUND_TASKS_LOOKS: Record<BackgroundTasksState | 'not_reported', Look> = {
  active: { label: 'Active', icon: '▶', tone: 'ok' },
  paused: { label: 'Paused', icon: '❙❙', tone: 'warn' },
  stopped: { label: 'Stopped', icon: '■', tone: 'bad' },
  not_reported: { label: 'Not reported', icon: '?', tone: 'warn' },
};

function fromWire(tasks: WireBackgroundTasks): ServiceBackgroundTasks {
  return { service: tasks.service, state: tasks.state, workers: tasks.workers, jobsInFlight: tasks.jobs_in_flight };
}

export function renderBackgroundTasks(status: WireStatus): void {
  const summary = summarizeBackgroundTasks(status.background_tasks?.map(fromWire) ?? null);
  const node = byId('background-tasks');
  node.setAttribute('data-state', summary.state);
  node.textContent = '';
  const badge = el('span', 'badge');
  renderBadge(badge, { ...BACKGROUND_TASKS_LOOKS[summary.state], label: summary.heading });
  node.append(badge, el('span', 'subtle inline', summary.detail));
}

/** A service's cell: its state, and how many live workers (and jobs running). */
export function backgroundTasksCell(badge: HTMLElement, detail: HTMLElement, tasks: WireBackgroundTasks | undefined): void {
  if (!tasks) {
    renderBadge(badge, BACKGROUND_TASKS_LOOKS.not_reported);
    detail.textContent = '';
    return;
  }
  renderBadge(badge, BACKGROUND_TASKS_LOOKS[tasks.state]);
  const workers = `${tasks.workers} ${tasks.workers === 1 ? 'worker' : 'workers'}`;
  detail.textContent = tasks.jobs_in_flight > 0 ? `${workers} · ${tasks.jobs_in_flight} running` : workers;
}
