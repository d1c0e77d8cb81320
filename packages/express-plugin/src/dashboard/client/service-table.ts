/** The Circuit Breakers & Queues table: one row per service, made once and updated in place. */
import type { WireStatus, WireQueue } from '../../wire-format.js';
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
  reset: HTMLButtonElement;
}

const rows = new Map<string, ServiceRow>();

function serviceRow(service: string, onReset: (service: string) => void): ServiceRow {
  const existing = rows.get(service);
  if (existing) return existing;
  const tr = el('tr');
  tr.setAttribute('data-service', service);
  const name = el('th', null, service);
  name.scope = 'row';
  const breakerCell = el('td');
  const breakerBadge = el('span', 'badge');
  const breakerSince = el('span', 'subtle');
  breakerCell.append(breakerBadge, breakerSince);
  const failures = el('td', 'num');
  const reason = el('td');
  const queueCell = el('td');
  const queueBadge = el('span', 'badge');
  const queueReason = el('span', 'subtle');
  queueCell.append(queueBadge, queueReason);
  const actions = el('td', 'actions');
  const reset = el('button', 'button button-secondary', 'Reset');
  reset.type = 'button';
  reset.setAttribute('aria-label', `Reset circuit breaker for ${service}`);
  reset.addEventListener('click', () => onReset(service));
  actions.appendChild(reset);
  tr.append(name, breakerCell, failures, reason, queueCell, actions);
  byId('service-rows').appendChild(tr);
  const row = { breakerBadge, breakerSince, failures, reason, queueBadge, queueReason, reset };
  rows.set(service, row);
  return row;
}

export function renderServices(status: WireStatus, state: DashboardState, onReset: (service: string) => void): void {
  const queues = new Map<string, WireQueue>(status.queues.map((queue) => [queue.service, queue]));
  for (const breaker of status.breakers) {
    const row = serviceRow(breaker.service, onReset);
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
    const pending = state.pendingResets.has(breaker.service);
    row.reset.textContent = pending ? 'Resetting…' : 'Reset';
    row.reset.setAttribute('aria-disabled', String(pending));
    row.reset.setAttribute('aria-busy', String(pending));
    row.reset.setAttribute('data-attention', String(breaker.state !== 'closed'));
  }
  byId('updated-at').textContent = state.updatedAt ? `Updated ${state.updatedAt.toLocaleTimeString()}` : '';
  renderMessage(byId('notice'), state.notice);
}
