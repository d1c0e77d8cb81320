/** The resume history: every queue resume, blocked or failed attempt, newest first, with who asked and what it did. */
import type { WireHistoryEntry } from '../../wire-format.js';
import type { DashboardState } from './dashboard-state.js';
import { byId, el, formatTime } from './dom.js';
import type { Tone } from './looks.js';

const OUTCOMES: Record<string, { label: string; icon: string; tone: Tone }> = {
  'resume:completed': { label: 'Resumed', icon: '✓', tone: 'ok' },
  'resume:blocked': { label: 'Blocked', icon: '⚠', tone: 'warn' },
  'resume:failed': { label: 'Failed', icon: '✕', tone: 'bad' },
};

function item(entry: WireHistoryEntry): HTMLElement {
  const outcome = OUTCOMES[entry.kind] ?? { label: entry.kind, icon: '•', tone: 'warn' as Tone };
  const li = el('li', 'history-item');
  li.setAttribute('data-kind', entry.kind);
  li.setAttribute('data-tone', outcome.tone);
  const icon = el('span', 'history-icon', outcome.icon);
  icon.setAttribute('aria-hidden', 'true');
  const text = el('div', 'history-text');
  text.appendChild(el('p', 'history-what', `${outcome.label}: ${entry.reason ?? ''}`));
  const meta = `${formatTime(entry.at)} · ${entry.actor ? `requested by ${entry.actor}` : 'requested by an unnamed caller'}`;
  const counts = entry.details;
  const extra =
    entry.kind === 'resume:completed' && typeof counts.campaign_jobs_resumed === 'number' && counts.campaign_jobs_resumed > 0
      ? ` · ${counts.campaign_jobs_resumed} more jobs resumed with their campaigns`
      : '';
  text.appendChild(el('p', 'meta', meta + extra));
  const errors = Array.isArray(counts.campaign_resume_errors) ? (counts.campaign_resume_errors as string[]) : [];
  if (errors.length > 0) {
    const list = el('ul', 'history-errors');
    for (const error of errors) list.appendChild(el('li', null, error));
    text.appendChild(list);
  }
  li.append(icon, text);
  return li;
}

export function renderResumeHistory(state: DashboardState): void {
  const body = byId('resume-history');
  const more = byId<HTMLButtonElement>('resume-history-more');
  body.textContent = '';
  const loaded = state.resumeHistory;
  if (loaded.kind !== 'loaded') {
    body.appendChild(el('p', 'meta', loaded.kind === 'loading' ? 'Loading…' : loaded.reason));
    more.hidden = true;
    return;
  }
  if (loaded.value.entries.length === 0) body.appendChild(el('p', 'meta', 'No queue resume has been asked for yet.'));
  else {
    const list = el('ol', 'history-list');
    for (const entry of loaded.value.entries) list.appendChild(item(entry));
    body.appendChild(list);
  }
  more.hidden = loaded.value.nextCursor === null;
}
