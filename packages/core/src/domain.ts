/**
 * The domain's vocabulary (docs/architecture.md#the-domain): the states, and the records the ports exchange.
 * Ids are strings at the core boundary, whatever the store uses underneath.
 */

export const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

export const QUEUE_STATES = ['ACTIVE', 'PAUSED'] as const;
export type QueueStateName = (typeof QUEUE_STATES)[number];

export const CAMPAIGN_STATUSES = ['DRAFT', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const JOB_STATUSES = ['PENDING', 'PROCESSING', 'PAUSED', 'COMPLETED', 'FAILED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * One service's circuit breaker, as every CircuitBreakerStore keeps it. Times are ms since the epoch.
 * `S`: the service names it can be about (the instance's own, on `Breakwater<S>`; any string at the ports).
 */
export interface BreakerRecord<S extends string = string> {
  service: S;
  state: BreakerState;
  /** Consecutive failures (closed), or failures seen since opening (open). */
  failureCount: number;
  /** Successful probes while half_open. */
  successCount: number;
  openedAt: number | null;
  /** open: when a probe may first be let through; half_open: when unanswered probes count as lost. */
  nextAttemptAt: number | null;
  lastFailureReason: string | null;
  /** How many times the breaker has gone into `open`. */
  tripCount: number;
  /** Forced open by `trip()`: never half-opens by itself; only `reset()` clears it. */
  latched: boolean;
  /** Half-open probes let through and not yet answered. */
  probesInFlight: number;
  /** Failure-rate window (only used when the policy has one). */
  windowStartedAt: number | null;
  windowRequests: number;
  windowFailures: number;
  updatedAt: number;
}

/** A service queue's state; `reason` says why it is paused. Times are ms since the epoch. `S` as for BreakerRecord. */
export interface QueueState<S extends string = string> {
  service: S;
  state: QueueStateName;
  reason: string | null;
  updatedAt: number | null;
}

export interface Campaign {
  id: string;
  name: string;
  status: CampaignStatus;
  statusMessage: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Job {
  id: string;
  campaignId: string;
  service: string;
  status: JobStatus;
  /** Why the job is paused or failed; cleared when it resumes. */
  error: string | null;
  payload: unknown;
  /** Attempts started, including the one running now; a re-pause gives the attempt back. */
  attempts: number;
  /** What the handler returned, once COMPLETED. */
  result: unknown;
  /** The worker holding the job while PROCESSING, and until when. */
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  /** A PENDING job is not claimed before this (retry backoff). */
  availableAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export type CountsByStatus<S extends string> = Record<S, number>;

/**
 * Rows whose status is none of the statuses above (`running`, `ACTIVE`, NULL), as a host's own table
 * may hold: Breakwater never pauses, resumes or counts them, so they are reported instead.
 */
export interface UnrecognizedStatus {
  entity: 'campaign' | 'job';
  /** The value as stored; null for SQL NULL. */
  status: string | null;
  count: number;
}

export function emptyCounts<S extends string>(statuses: readonly S[]): CountsByStatus<S> {
  return Object.fromEntries(statuses.map((status) => [status, 0])) as CountsByStatus<S>;
}
