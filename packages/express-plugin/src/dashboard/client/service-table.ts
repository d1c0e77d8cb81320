/** The Circuit Breakers & Queues table: one row per service, made once and updated in place. */
import type { WireBackgroundTasks, WireQueue, WireStatus } from '../../wire-format.js';
import { backgroundTasksCell } from './background-tasks-view.js';
import type { DashboardState } from './dashboard-state.js';
import { byId, el, formatTime, renderMessage } from './dom.js';
import { BREAKER_LOOKS, QUEUE_LOOKS, renderBadge, unknownLook } from './looks.js';

interface ServiceRow {
  breakerBadge: HTMLElement;
  breakerSince: HTMLElement;
  failures: HTMLElement;
  reason: HTMLElement;
  queueBadge: HTMLElement;
  queueReason: HTMLElement;
  tasksBadge: HTMLElement;
  tasksDetail: HTMLElement;
  reset: HTMLButtonElement;
}

export interface ServiceActions {
  onReset: (service: string) => void;
  onTrip: (service: string, button: HTMLElement) => void;
}

const rows = new Map<string, ServiceRow>();

/** A badge with a line of detail under it, in one cell. */
function badgeCell(): { cell: HTMLElement; badge: HTMLElement; detail: HTMLElement } {
  const cell = el('td');
  const badge = el('span', 'badge');
  const detail = el('span', 'subtle');
  cell.append(badge, detail);
  return { cell, badge, detail };
}

function serviceRow(service: string, actions: ServiceActions): ServiceRow {
  const existing = rows.get(service);
  if (existing) return existing;
  const tr = el('tr');
  tr.setAttribute('data-service', service);
  const name = el('th', null, service);
  name.scope = 'row';
  const breaker = badgeCell();
  const failures = el('td', 'num');
  const reason = el('td');
  const queue = badgeCell();
  const tasks = badgeCell();
  const cell = el('td', 'actions');
  const reset = el('button', 'button button-secondary', 'Reset');
  reset.type = 'button';
  reset.setAttribute('aria-label', `Reset circuit breaker for ${service}`);
  reset.addEventListener('click', () => actions.onReset(service));
  const trip = el('button', 'button button-secondary button-danger', 'Trip');
  trip.type = 'button';
  trip.setAttribute('aria-label', `Trip circuit breaker for ${service}`);
  trip.addEventListener('click', () => actions.onTrip(service, trip));
  cell.append(reset, trip);
  tr.append(name, breaker.cell, failures, reason, queue.cell, tasks.cell, cell);
  byId('service-rows').appendChild(tr);
  const row = {
    breakerBadge: breaker.badge,
    breakerSince: breaker.detail,
    failures,
    reason,
    queueBadge: queue.badge,
    queueReason: queue.detail,
    tasksBadge: tasks.badge,
    tasksDetail: tasks.detail,
    reset,
  };
  rows.set(service, row);
  return row;
}

export function renderServices(status: WireStatus, state: DashboardState, actions: ServiceActions): void {
  const queues = new Map<string, WireQueue>(status.queues.map((queue) => [queue.service, queue]));
  const tasks = new Map<string, WireBackgroundTasks>((status.background_tasks ?? []).map((task) => [task.service, task]));
  for (const breaker of status.breakers) {
    const row = serviceRow(breaker.service, actions);
    renderBadge(row.breakerBadge, BREAKER_LOOKS[breaker.state] ?? unknownLook(breaker.state));
    row.breakerSince.textContent =
      breaker.state !== 'closed' && breaker.opened_at
        ? `since ${formatTime(breaker.opened_at)}${breaker.latched ? ' (tripped manually)' : ''}`
        : '';
    row.failures.textContent = String(breaker.failure_count);
    row.reason.textContent = breaker.last_failure_reason || '—';
    const queue = queues.get(breaker.service);
    if (queue) {
      renderBadge(row.queueBadge, QUEUE_LOOKS[queue.state] ?? unknownLook(queue.state));
      row.queueReason.textContent = queue.state === 'PAUSED' && queue.reason ? queue.reason : '';
    }
    backgroundTasksCell(row.tasksBadge, row.tasksDetail, tasks.get(breaker.service));
    const pending = state.pendingResets.has(breaker.service);
    row.reset.textContent = pending ? 'Resetting…' : 'Reset';
    row.reset.setAttribute('aria-disabled', String(pending));
    row.reset.setAttribute('aria-busy', String(pending));
    row.reset.setAttribute('data-attention', String(breaker.state !== 'closed'));
  }
  byId('updated-at').textContent = state.updatedAt ? `Updated ${state.updatedAt.toLocaleTimeString()}` : '';
  renderMessage(byId('notice'), state.notice);
}
