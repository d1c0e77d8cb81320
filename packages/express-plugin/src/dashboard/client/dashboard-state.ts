/** What the page knows and is doing; every render draws the page from it. */
import type { WireCampaign, WireHistoryEntry, WireReport, WireStatus } from '../../wire-format.js';
import type { Message } from './dom.js';

/** The last resume's outcome, with the campaigns that could not be resumed. */
export interface ResumeResult extends Message {
  errors: string[];
}

/** Something loaded from the history, or why it could not be (`unavailable`: the server records no history). */
export type Loaded<T> = { kind: 'loaded'; value: T } | { kind: 'unavailable'; reason: string } | { kind: 'loading' };

export interface ResumeHistory {
  entries: WireHistoryEntry[];
  nextCursor: string | null;
}

export interface PausedCampaignsPage {
  campaigns: WireCampaign[];
  /** The `after` of this page (null: the first), and of the next (null: this is the last). */
  after: string | null;
  nextCursor: string | null;
}

export interface DashboardState {
  status: WireStatus | null;
  /** What a resume would do now (a dry run), while nothing blocks it. */
  preview: WireReport | null;
  loadError: string | null;
  updatedAt: Date | null;
  /** The event stream: null while it connects. */
  live: boolean | null;
  /** This page's resume call is running. */
  resuming: boolean;
  resumeResult: ResumeResult | null;
  /** What the last breaker reset or trip did. */
  notice: Message | null;
  /** Services whose reset call is running. */
  pendingResets: Set<string>;
  /** The history of the last 24 hours, for the timeline, and when it was read. */
  timeline: Loaded<{ entries: WireHistoryEntry[]; readAt: number }>;
  /** The resumes, newest first; "Show older" adds pages. */
  resumeHistory: Loaded<ResumeHistory>;
  /** The page of paused campaigns shown, and the `after` of each page before it (for "Previous"). */
  pausedCampaigns: Loaded<PausedCampaignsPage>;
  pausedPagesBefore: (string | null)[];
}

export function initialState(): DashboardState {
  return {
    status: null,
    preview: null,
    loadError: null,
    updatedAt: null,
    live: null,
    resuming: false,
    resumeResult: null,
    notice: null,
    pendingResets: new Set(),
    timeline: { kind: 'loading' },
    resumeHistory: { kind: 'loading' },
    pausedCampaigns: { kind: 'loading' },
    pausedPagesBefore: [],
  };
}
