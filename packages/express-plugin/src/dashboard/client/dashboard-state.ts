/** What the page knows and is doing; every render draws the page from it. */
import type { WireReport } from '@breakwater/core';
import type { WireStatus } from '../../wire-format.js';
import type { Message } from './dom.js';

/** The last resume's outcome, with the campaigns that could not be resumed. */
export interface ResumeResult extends Message {
  errors: string[];
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
  /** What the last breaker reset did. */
  notice: Message | null;
  /** Services whose reset call is running. */
  pendingResets: Set<string>;
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
  };
}
