/**
 * The public shape of a Breakwater instance, as `createBreakwater` returns it. `S` is the union of its
 * service names, inferred from `services`, so a misspelt service fails to compile wherever one is named;
 * it is `string` when the names are known only at run time, and every method still checks them then.
 */
import type { FailureInput } from './breaker-transitions.js';
import type { BreakerRecord, Campaign, CampaignStatus, CountsByStatus, Job, JobStatus, QueueState, UnrecognizedStatus } from './domain.js';
import type { BlockedService } from './errors.js';
import type { BreakwaterEmitter } from './breakwater-emitter.js';
import type { BreakerPolicy } from './policy.js';
import type { ServiceBackgroundTasks } from './background-tasks.js';
import type { HistoryPage } from './history/history-entry.js';
import type { HistoryRequest } from './history/read-history.js';
import type { CampaignRepository, CircuitBreakerStore, EnqueueJobInput, JobFilter, QueueStore, WorkerHeartbeat } from './ports.js';
import type { ResumeReport } from './report.js';
import type { Worker, WorkerOptions } from './worker/worker-types.js';

export type AllowReason = 'open' | 'half_open' | 'queue_paused';

export interface AllowDecision {
  allowed: boolean;
  reason: AllowReason | null;
}

export interface Breakers<S extends string = string> {
  /** Whether a call to the service may go out now; past the reset timeout this hands out a half-open probe. */
  shouldAllowRequest(service: S): Promise<AllowDecision>;
  recordSuccess(service: S): Promise<BreakerRecord<S>>;
  /** Counts a failure; the transition into `open` runs the pause cascade before this resolves. */
  recordFailure(service: S, failure?: FailureInput): Promise<BreakerRecord<S>>;
  /** Runs `fn` if allowed (else throws `CircuitOpenError`), records its outcome, aborts it after `timeoutMs`. */
  execute<T>(service: S, fn: (signal: AbortSignal) => Promise<T>, options?: ExecuteOptions): Promise<T>;
  /** Forces the breaker open and latched, and runs the pause cascade. */
  trip(service: S, reason: string, options?: BreakerActionOptions): Promise<BreakerRecord<S>>;
  /** Closes the breaker and zeroes its counts. Resumes nothing: only `resumeQueue` does. */
  reset(service: S, options?: BreakerActionOptions): Promise<BreakerRecord<S>>;
  get(service: S): Promise<BreakerRecord<S>>;
  list(): Promise<BreakerRecord<S>[]>;
}

/** Who asked for a trip or a reset: recorded in its event and in the history. */
export interface BreakerActionOptions {
  requestedBy?: string;
}

export interface ExecuteOptions {
  timeoutMs?: number;
  /** Aborts the call from outside (a worker stopping without grace). */
  signal?: AbortSignal;
  /** Maps an error thrown by `fn` to the failure to record, e.g. a 429's Retry-After; return null to not count it. */
  classifyError?: (error: unknown) => FailureInput | null;
}

export interface ResumeOptions {
  requestedBy?: string;
  /** Check prerequisites and count what would be resumed, changing nothing. */
  dryRun?: boolean;
}

export interface SystemStatus<S extends string = string> {
  breakers: BreakerRecord<S>[];
  queues: QueueState<S>[];
  campaigns: CountsByStatus<CampaignStatus>;
  jobs: CountsByStatus<JobStatus>;
  /** Rows the counts above leave out because their status is none of Breakwater's (empty when the store cannot hold such rows). */
  unrecognizedStatuses: UnrecognizedStatus[];
  canResume: boolean;
  blockedBy: BlockedService<S>[];
  resumeInProgress: boolean;
  lastReport: ResumeReport | null;
  /** Live workers in every process (from their heartbeats); null without a worker registry. */
  workers: WorkerHeartbeat[] | null;
  /** Per service, whether its background tasks run; null without a worker registry. */
  backgroundTasks: ServiceBackgroundTasks<S>[] | null;
}

/**
 * The campaign repository as `bw.campaigns` offers it: the host-facing methods that name a service take only
 * the instance's services. Jobs come back as stored (`service` a string): a table may hold jobs of a service
 * the configuration no longer names.
 */
export type BreakwaterCampaigns<S extends string = string> = Omit<
  CampaignRepository,
  'enqueueJob' | 'enqueueJobs' | 'listJobs' | 'countJobsByStatus'
> & {
  /** Adds a job; `NotFoundError` if the campaign does not exist, `UnknownServiceError` for a service not configured. */
  enqueueJob(input: EnqueueJobInput & { service: S }): Promise<Job>;
  /** Adds many jobs at once, atomic: every one or none (see `CampaignRepository.enqueueJobs`). */
  enqueueJobs(inputs: readonly (EnqueueJobInput & { service: S })[]): Promise<Job[]>;
  listJobs(filter?: JobFilter & { service?: S }): Promise<Job[]>;
  /** Every status as a key, zero when none. */
  countJobsByStatus(filter?: { service?: S }): Promise<CountsByStatus<JobStatus>>;
};

export interface Breakwater<S extends string = string> {
  readonly services: readonly S[];
  readonly events: BreakwaterEmitter<S>;
  readonly policy: Readonly<BreakerPolicy>;
  readonly breakers: Breakers<S>;
  readonly campaigns: BreakwaterCampaigns<S>;
  readonly queueStore: QueueStore;
  readonly breakerStore: CircuitBreakerStore;
  resumeQueue(options?: ResumeOptions): Promise<ResumeReport>;
  /**
   * Starts a DRAFT campaign in one atomic step: RUNNING, or straight to PAUSED (never running) when a
   * service it needs is paused (within the pause scope). A PAUSED campaign is refused with
   * `ResumeQueueRequiredError`: only `resumeQueue` resumes it.
   */
  startCampaign(id: string, statusMessage?: string | null): Promise<Campaign>;
  status(): Promise<SystemStatus<S>>;
  /**
   * One page of the durable history, newest first (`nextCursor` is the next page's `before`), once this
   * process's own entries are written. `NotConfiguredError` without a history store.
   */
  history(request?: HistoryRequest<S>): Promise<HistoryPage>;
  createWorker<R = unknown>(options: WorkerOptions<R, S>): Worker<S>;
  /**
   * Checks now for pauses a fault left half-done (a breaker open with its fence down, a fence up with its
   * queue ACTIVE or campaigns still RUNNING …) and completes them; returns the services it completed. The
   * instance also does this on its own every `reconcileIntervalMs`, acting on what two checks in a row find;
   * `immediate` acts on the first.
   */
  reconcile(options?: { immediate?: boolean }): Promise<S[]>;
  /** Stops the reconciler's timer and listening to the stores' change notifications. */
  close(): Promise<void>;
}
