/**
 * What the page reads beside the status: the last 24 hours of history (a few pages of it at most), the
 * resume history a page at a time, and the paused campaigns a page at a time.
 */
import type { WireCampaign, WireHistoryEntry } from '../../wire-format.js';
import { ApiError, api } from './api.js';
import type { Loaded, PausedCampaignsPage, ResumeHistory } from './dashboard-state.js';
import { TIMELINE_SPAN_MS } from './timeline-model.js';

interface HistoryPage {
  entries: WireHistoryEntry[];
  next_cursor: string | null;
}

export const RESUME_KINDS = 'resume:completed,resume:blocked,resume:failed';
export const RESUME_PAGE = 8;
export const CAMPAIGN_PAGE = 10;
/** The timeline reads at most this many entries (500 a page): enough for a very bad day. */
const TIMELINE_MAX_PAGES = 10;

/** 404: the server records no history; anything else is a failure worth showing as it is. */
function unavailable(error: unknown): { kind: 'unavailable'; reason: string } {
  if (error instanceof ApiError && error.status === 404) return { kind: 'unavailable', reason: 'This server records no history.' };
  return { kind: 'unavailable', reason: `Could not load the history: ${(error as Error).message}` };
}

export async function loadTimeline(now: number): Promise<Loaded<{ entries: WireHistoryEntry[]; readAt: number }>> {
  const since = new Date(now - TIMELINE_SPAN_MS).toISOString();
  const entries: WireHistoryEntry[] = [];
  try {
    let before: string | null = null;
    for (let page = 0; page < TIMELINE_MAX_PAGES; page += 1) {
      const query = new URLSearchParams({ since, limit: '500' });
      if (before) query.set('before', before);
      const found: HistoryPage = await api<HistoryPage>('GET', `history?${query}`);
      entries.push(...found.entries);
      before = found.next_cursor;
      if (!before) break;
    }
  } catch (error) {
    return unavailable(error);
  }
  return { kind: 'loaded', value: { entries, readAt: now } };
}

/** The newest `limit` resumes; or the page before `before`. */
export async function loadResumeHistory(limit: number, before: string | null = null): Promise<Loaded<ResumeHistory>> {
  const query = new URLSearchParams({ kind: RESUME_KINDS, limit: String(limit) });
  if (before) query.set('before', before);
  try {
    const page = await api<HistoryPage>('GET', `history?${query}`);
    return { kind: 'loaded', value: { entries: page.entries, nextCursor: page.next_cursor } };
  } catch (error) {
    return unavailable(error);
  }
}

export async function loadPausedCampaigns(after: string | null): Promise<Loaded<PausedCampaignsPage>> {
  const query = new URLSearchParams({ status: 'PAUSED', limit: String(CAMPAIGN_PAGE) });
  if (after) query.set('after', after);
  try {
    const page = await api<{ campaigns: WireCampaign[]; next_cursor: string | null }>('GET', `campaigns?${query}`);
    return { kind: 'loaded', value: { campaigns: page.campaigns, after, nextCursor: page.next_cursor } };
  } catch (error) {
    return { kind: 'unavailable', reason: `Could not load the paused campaigns: ${(error as Error).message}` };
  }
}
