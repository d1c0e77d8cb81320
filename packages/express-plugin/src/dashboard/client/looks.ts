/**
 * How the page shows core's states and statuses: each with a label, an icon and a tone (colour never
 * carries meaning alone). Keyed by core's own types, so a state core adds fails the typecheck here until
 * it has a look.
 */
import { CAMPAIGN_STATUSES, JOB_STATUSES } from '@breakwater/core';
import type { BreakerState, CampaignStatus, JobStatus, QueueStateName } from '@breakwater/core';
import { el } from './dom.js';

export type Tone = 'ok' | 'warn' | 'bad';

export interface Look {
  label: string;
  icon: string;
  tone: Tone;
}

export const BREAKER_LOOKS: Record<BreakerState, Look> = {
  closed: { label: 'Closed', icon: '✓', tone: 'ok' },
  open: { label: 'Open', icon: '✕', tone: 'bad' },
  half_open: { label: 'Half-open', icon: '◐', tone: 'warn' },
};

export const QUEUE_LOOKS: Record<QueueStateName, Look> = {
  ACTIVE: { label: 'Active', icon: '▶', tone: 'ok' },
  PAUSED: { label: 'Paused', icon: '❙❙', tone: 'warn' },
};

/** A state this page does not know (a newer server): shown as it is. */
export function unknownLook(state: string): Look {
  return { label: state, icon: '?', tone: 'warn' };
}

/** The tone of a campaign or job count; statuses without one are neutral. */
export const STATUS_TONES: Record<CampaignStatus | JobStatus, Tone | null> = {
  DRAFT: null,
  RUNNING: 'ok',
  PENDING: null,
  PROCESSING: 'ok',
  PAUSED: 'warn',
  COMPLETED: 'ok',
  FAILED: 'bad',
  CANCELLED: null,
};

/** The two statuses an operator watches first, then the others in core's order. */
const WATCHED_FIRST: readonly CampaignStatus[] = ['RUNNING', 'PAUSED'];
export const CAMPAIGN_DISPLAY_ORDER: readonly CampaignStatus[] = [
  ...WATCHED_FIRST,
  ...CAMPAIGN_STATUSES.filter((status) => !WATCHED_FIRST.includes(status)),
];
export const JOB_DISPLAY_ORDER: readonly JobStatus[] = JOB_STATUSES;

/** Fills a badge: the icon (hidden from screen readers) and the label, toned. */
export function renderBadge(node: HTMLElement, look: Look): void {
  node.setAttribute('data-tone', look.tone);
  node.textContent = '';
  const icon = el('span', null, look.icon);
  icon.setAttribute('aria-hidden', 'true');
  node.append(icon, el('span', null, look.label));
}
