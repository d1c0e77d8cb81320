import type { EventEmitter } from 'eventemitter3';
import type { FailureInput } from '../breaker-transitions.js';
import type { Job } from '../domain.js';
import type { WorkerEvents } from '../events.js';
import type { CompletedJobLimits } from './completed-job-pruning.js';

export interface JobContext {
  /** Aborted on timeout and on `stop({ graceful: false })`. */
  signal: AbortSignal;
}

/** `S`: the services it may be made for (the instance's, on `Breakwater<S>`). */
export interface WorkerOptions<R = unknown, S extends string = string> {
  service: S;
  /**
   * Runs one job; what it returns is stored on the job. Delivery is at-least-once: a job whose
   * worker died is run again after its lease expires, so handlers should be idempotent
   * (`job.attempts` tells a retry from a first run).
   */
  handler: (job: Job, context: JobContext) => Promise<R>;
  /** Jobs run at once; default 1. */
  concurrency?: number;
  /**
   * Fallback poll, for what no notification announces (a lease expiring, jobs inserted with plain SQL). A resume, a
   * new job, a closed breaker or a retry coming due wakes the worker at once. Default 1000.
   */
  pollIntervalMs?: number;
  /** A PROCESSING job whose lease expires is claimed again. Default 30000. */
  leaseMs?: number;
  /** Attempts before a job ends FAILED. Default 3. */
  maxAttempts?: number;
  /** Delay before retry number `attempt` (1-based). Default exponential from 1000 ms, capped at 60000. */
  backoff?: (attempt: number) => number;
  /** Per-call timeout passed to `breakers.execute`. */
  timeoutMs?: number;
  /** Maps a handler error to the breaker failure (e.g. a 429's Retry-After); null means "not the service's fault". */
  classifyError?: (error: unknown) => FailureInput | null;
  /**
   * What becomes of completed jobs, as BullMQ's option of that name. Default false: every job stays COMPLETED with its
   * result. `true`: a job is deleted as it completes (its result is not kept). `{ maxAgeMs, maxCount }`: the service's
   * completed jobs are kept that long and/or that many (the most recently completed), older ones deleted as the
   * worker goes. Whatever is deleted no longer counts in `countJobsByStatus` or shows in `listJobs`: a host that
   * decides things from COMPLETED rows (such as "every job of this campaign is done") must count them otherwise.
   */
  removeOnComplete?: boolean | CompletedJobLimits;
}

/** Every option createWorker takes: anything else is refused (a typo must not leave a default in place). */
export const WORKER_OPTION_NAMES = [
  'service',
  'handler',
  'concurrency',
  'pollIntervalMs',
  'leaseMs',
  'maxAttempts',
  'backoff',
  'timeoutMs',
  'classifyError',
  'removeOnComplete',
] as const satisfies readonly (keyof WorkerOptions)[];
// Every option named above: a new one left out fails the typecheck here, not a host's createWorker call.
const EVERY_OPTION_NAMED: [Exclude<keyof WorkerOptions, (typeof WORKER_OPTION_NAMES)[number]>] extends [never] ? true : false = true;
void EVERY_OPTION_NAMED;

export interface Worker<S extends string = string> {
  readonly id: string;
  readonly service: S;
  readonly events: EventEmitter<WorkerEvents>;
  start(): Promise<void>;
  /** Waits for in-flight jobs; `graceful: false` aborts their signals first. */
  stop(options?: { graceful?: boolean }): Promise<void>;
}
