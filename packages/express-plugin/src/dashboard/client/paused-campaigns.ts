/** The paused campaigns, a page at a time, each with its status message (why it is paused). */
import type { WireStatus } from '../../wire-format.js';
import type { DashboardState } from './dashboard-state.js';
import { byId, el, formatTime } from './dom.js';

export function renderPausedCampaigns(status: WireStatus, state: DashboardState): void {
  const body = byId('paused-campaigns');
  const previous = byId<HTMLButtonElement>('paused-previous');
  const next = byId<HTMLButtonElement>('paused-next');
  const position = byId('paused-position');
  body.textContent = '';
  const loaded = state.pausedCampaigns;
  const total = status.campaigns.PAUSED;
  byId('paused-count').textContent = `${total} paused`;
  if (loaded.kind !== 'loaded') {
    body.appendChild(el('p', 'meta', loaded.kind === 'loading' ? 'Loading…' : loaded.reason));
    previous.hidden = next.hidden = true;
    position.textContent = '';
    return;
  }
  const { campaigns, nextCursor } = loaded.value;
  if (campaigns.length === 0) {
    body.appendChild(el('p', 'meta', 'No campaign is paused.'));
  } else {
    const table = el('table');
    const head = el('thead');
    const headRow = el('tr');
    for (const title of ['Campaign', 'Status message', 'Paused since']) {
      const th = el('th', null, title);
      th.scope = 'col';
      headRow.appendChild(th);
    }
    head.appendChild(headRow);
    const rows = el('tbody');
    for (const campaign of campaigns) {
      const tr = el('tr');
      tr.setAttribute('data-campaign', campaign.id);
      const name = el('th', null, campaign.name);
      name.scope = 'row';
      name.appendChild(el('span', 'subtle', `#${campaign.id}`));
      tr.append(name, el('td', null, campaign.status_message ?? '—'), el('td', 'nowrap', formatTime(campaign.updated_at)));
      rows.appendChild(tr);
    }
    table.append(head, rows);
    body.appendChild(table);
  }
  const page = state.pausedPagesBefore.length + 1;
  previous.hidden = page === 1;
  next.hidden = nextCursor === null;
  position.textContent = page > 1 || nextCursor !== null ? `Page ${page}` : '';
}
