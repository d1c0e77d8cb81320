/** One event map for every transition and step; `remote` marks what another process did. */
import type { BreakerRecord, BreakerState, Job } from './domain.js';
import type { BlockedService } from './errors.js';
import type { ResumeReport } from './report.js';

export interface BreakerEvent<S extends string = string> {
  service: S;
  record: BreakerRecord<S>;
  remote: boolean;
  /** The state it left; null when another process made the change. */
  from: BreakerState | null;
  /** The operator whose trip or reset it was (`requestedBy`); null otherwise. */
  requestedBy: string | null;
}

/** Which pause finished: a trip's own cascade, the reconciler completing one cut short, or a resume pausing again a service that opened meanwhile. */
export type PauseSource = 'cascade' | 'reconciler' | 'resume';

/**
 * `S`: the services the payloads name, those of the instance (`Breakwater<S>`). Events another process caused
 * are emitted only for those services too: while processes sharing the stores run with different lists (a
 * rolling deploy adding a service), what another process does with a service this one does not know is not
 * this one's event.
 */
export interface BreakwaterEvents<S extends string = string> {
  'breaker:opened': [BreakerEvent<S> & { reason: string | null }];
  'breaker:half-open': [BreakerEvent<S>];
  'breaker:closed': [BreakerEvent<S>];
  'breaker:reset': [BreakerEvent<S>];
  /** A trip by an operator (or by the reconciler, latching a breaker whose pause its store lost): always this process's. */
  'breaker:tripped': [{ service: S; reason: string; requestedBy: string | null; record: BreakerRecord<S>; from: BreakerState }];
  /** Counts (and `source`) are null when another process paused the service (only it knows them). */
  'service:paused': [
    {
      service: S;
      reason: string;
      jobsPaused: number | null;
      campaignsPaused: number | null;
      remote: boolean;
      source: PauseSource | null;
    },
  ];
  'resume:requested': [{ resumeId: string; requestedBy: string | null; dryRun: boolean }];
  'resume:blocked': [{ resumeId: string; requestedBy: string | null; blocked: BlockedService<S>[]; message: string; dryRun: boolean }];
  /** A resume stopped by an error (a store failed or stalled); it released the lock, and can be run again. */
  'resume:failed': [{ resumeId: string; requestedBy: string | null; error: string }];
  /** `jobsResumed` is null when another process resumed the service. */
  'service:resumed': [{ service: S; jobsResumed: number | null; remote: boolean; resumeId: string | null }];
  'campaign:resumed': [{ resumeId: string; campaignId: string }];
  'campaign:resume-failed': [{ resumeId: string; campaignId: string; error: string }];
  'resume:completed': [{ report: ResumeReport; remote: boolean }];
  /**
   * A job was added through this instance's repository or another process's (wakes idle workers). A job the enqueue
   * handed straight to a worker (direct handoff) is not announced: no other worker is to claim it.
   */
  'job:enqueued': [{ service: S; jobId: string }];
  /**
   * A batch's jobs of one service were added (`enqueueJobs`), here or in another process: one event per service of the
   * batch, counting the jobs no direct handoff took.
   */
  'jobs:enqueued': [{ service: S; count: number }];
  /** Stores that held no state (fresh, or lost by their server) were set up from the durable record; `paused` came back paused. */
  'store:initialized': [{ breakerStore: boolean; queueStore: boolean; paused: S[] }];
  /**
   * A store failed where the failure must not replace what the caller gets (recording a call's outcome) or
   * where nobody is waiting (the reconciler's check): it is logged, emitted here, and tried again later.
   */
  'store:error': [{ error: unknown; during: string; service: S | null }];
}

export type BreakwaterEventName = keyof BreakwaterEvents;

export const BREAKWATER_EVENT_NAMES = [
  'breaker:opened',
  'breaker:half-open',
  'breaker:closed',
  'breaker:reset',
  'breaker:tripped',
  'service:paused',
  'resume:requested',
  'resume:blocked',
  'resume:failed',
  'service:resumed',
  'campaign:resumed',
  'campaign:resume-failed',
  'resume:completed',
  'job:enqueued',
  'jobs:enqueued',
  'store:initialized',
  'store:error',
] as const satisfies readonly BreakwaterEventName[];

export interface WorkerEvents {
  'job:started': [{ job: Job }];
  'job:completed': [{ job: Job; result: unknown }];
  'job:failed': [{ job: Job; error: string }];
  /** Failed, to be tried again after `retryInMs`; while its service is paused it waits PAUSED for the resume instead. */
  'job:retrying': [{ job: Job; error: string; retryInMs: number }];
  'job:paused': [{ job: Job; reason: string }];
  /**
   * Put back without spending an attempt: it never reached the service (the breaker's store failed). PENDING, or
   * PAUSED while its service is paused.
   */
  'job:released': [{ job: Job; reason: string }];
  /**
   * Something the worker could not do, as BullMQ's `error`: claim (it tries again after `retryInMs`, backing off
   * while claims keep failing) or record a job's outcome (the job runs again once its lease expires).
   */
  error: [{ error: unknown; during: 'claim' | 'record-outcome'; jobId: string | null; retryInMs: number | null }];
}
