/** Campaign and job counts by status, and the last queue resume's report. */
import type { WireReport } from '../../wire-format.js';
import { byId, el, formatTime, titleCase } from './dom.js';
import { STATUS_TONES } from './looks.js';

export function renderCounts<S extends keyof typeof STATUS_TONES>(listId: string, statuses: readonly S[], counts: Record<S, number>): void {
  const list = byId(listId);
  for (const status of statuses) {
    let item = list.querySelector(`[data-status="${status}"]`);
    if (!item) {
      item = el('li');
      item.setAttribute('data-status', status);
      const tone = STATUS_TONES[status];
      if (tone) item.setAttribute('data-tone', tone);
      item.append(el('span', 'label', titleCase(status)), el('span', 'count', '0'));
      list.appendChild(item);
    }
    const count = item.querySelector('.count');
    if (count) count.textContent = String(counts[status] || 0);
  }
}

export function renderLastReport(report: WireReport | null): void {
  const node = byId('last-report');
  node.textContent = '';
  if (!report) {
    node.appendChild(el('p', 'meta', 'No queue resume has run yet.'));
    return;
  }
  node.appendChild(el('p', null, report.message));
  const requestedBy = report.requested_by ? ` · requested by ${report.requested_by}` : '';
  node.appendChild(el('p', 'meta', `Finished ${formatTime(report.finished_at)}${requestedBy}`));
  const errors = report.campaign_resume_errors ?? [];
  if (errors.length > 0) {
    const list = el('ul');
    for (const text of errors) list.appendChild(el('li', null, text));
    node.appendChild(list);
  }
}
