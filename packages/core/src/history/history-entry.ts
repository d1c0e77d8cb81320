/**
 * The durable history's vocabulary: what happened (`kind`), when, to which service, who asked (`actor`)
 * and why (`reason`), with the numbers of the moment in `details`. One entry per breaker transition, trip,
 * reset, pause cascade, store rebuild and resume step, written by the process that acted.
 */

export const HISTORY_KINDS = [
  /** A breaker went into `open`: by failures, a failed probe, or a trip (then a `breaker:tripped` entry says who). */
  'breaker:opened',
  'breaker:half-open',
  /** Closed by successful probes. */
  'breaker:closed',
  /** Closed by an operator's reset (`actor`), which resumes nothing. */
  'breaker:reset',
  /** Forced open and latched: by an operator (`actor`), or by the reconciler when the breaker store lost a pause. */
  'breaker:tripped',
  /** A pause cascade finished (`details.source`: the trip's own, the reconciler completing one, or a resume pausing again). */
  'service:paused',
  /** Stores that held no state were rebuilt from the durable record; `details.paused` came back paused. */
  'store:initialized',
  'resume:requested',
  /** Refused: some breaker was not closed; `reason` is the refusal's message. */
  'resume:blocked',
  /** Done: the report's counts and per-campaign errors in `details`. */
  'resume:completed',
  /** Stopped by an error (a store failed, or stalled); `reason` is its message. */
  'resume:failed',
] as const;

export type HistoryKind = (typeof HISTORY_KINDS)[number];

/** JSON-safe values: what every store keeps and gives back as it was given. */
export type HistoryValue = string | number | boolean | null | readonly HistoryValue[] | { readonly [key: string]: HistoryValue };

export interface HistoryDetails {
  readonly [key: string]: HistoryValue;
}

/** An entry as it is written. Times are ms since the epoch. */
export interface NewHistoryEntry {
  at: number;
  kind: HistoryKind;
  /** The service it is about, or null for what concerns every service (a resume, a store rebuild). */
  service: string | null;
  /** Who asked: a resume's `requestedBy`, the operator identified by the HTTP layer; null for the system itself. */
  actor: string | null;
  /** Why: the failure, the trip's reason, the pause reason, the refusal or error message. */
  reason: string | null;
  details: HistoryDetails;
}

/** An entry as it is read back, with the id the store gave it: ids grow with every append, so they page the history. */
export interface HistoryEntry extends NewHistoryEntry {
  id: string;
}

/** What `HistoryStore.list` is asked for; entries come newest first. */
export interface HistoryQuery {
  /** Only entries of this service, and those that concern every service (`service` null). */
  service?: string;
  /** Only entries of these kinds. */
  kinds?: readonly HistoryKind[];
  /** Only entries older than this id (the cursor: the last id of the page before). */
  before?: string;
  /** Only entries at or after this time (ms). */
  since?: number;
  limit: number;
}

/** One page of `bw.history()`: `nextCursor` is the `before` of the next page, null on the last one. */
export interface HistoryPage {
  entries: HistoryEntry[];
  nextCursor: string | null;
}
