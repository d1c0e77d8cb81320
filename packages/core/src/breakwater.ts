/** The public shape of a Breakwater instance, as `createBreakwater` returns it. */
import type { EventEmitter } from 'eventemitter3';
import type { FailureInput } from './breaker-transitions.js';
import type { BreakerRecord, Campaign, CampaignStatus, CountsByStatus, JobStatus, QueueState, UnrecognizedStatus } from './domain.js';
import type { BlockedService } from './errors.js';
import type { BreakwaterEvents } from './events.js';
import type { BreakerPolicy } from './policy.js';
import type { ServiceBackgroundTasks } from './background-tasks.js';
import type { HistoryPage } from './history/history-entry.js';
import type { HistoryRequest } from './history/read-history.js';
import type { CampaignRepository, CircuitBreakerStore, QueueStore, WorkerHeartbeat } from './ports.js';
import type { ResumeReport } from './report.js';
import type { Worker, WorkerOptions } from './worker/worker-types.js';

export type AllowReason = 'open' | 'half_open' | 'queue_paused';

export interface AllowDecision {
  allowed: boolean;
  reason: AllowReason | null;
}

export interface Breakers {
  /** Whether a call to the service may go out now; past the reset timeout this hands out a half-open probe. */
  shouldAllowRequest(service: string): Promise<AllowDecision>;
  recordSuccess(service: string): Promise<BreakerRecord>;
  /** Counts a failure; the transition into `open` runs the pause cascade before this resolves. */
  recordFailure(service: string, failure?: FailureInput): Promise<BreakerRecord>;
  /** Runs `fn` if allowed (else throws `CircuitOpenError`), records its outcome, aborts it after `timeoutMs`. */
  execute<T>(service: string, fn: (signal: AbortSignal) => Promise<T>, options?: ExecuteOptions): Promise<T>;
  /** Forces the breaker open and latched, and runs the pause cascade. */
  trip(service: string, reason: string, options?: BreakerActionOptions): Promise<BreakerRecord>;
  /** Closes the breaker and zeroes its counts. Resumes nothing: only `resumeQueue` does. */
  reset(service: string, options?: BreakerActionOptions): Promise<BreakerRecord>;
  get(service: string): Promise<BreakerRecord>;
  list(): Promise<BreakerRecord[]>;
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

export interface SystemStatus {
  breakers: BreakerRecord[];
  queues: QueueState[];
  campaigns: CountsByStatus<CampaignStatus>;
  jobs: CountsByStatus<JobStatus>;
  /** Rows the counts above leave out because their status is none of Breakwater's (empty when the store cannot hold such rows). */
  unrecognizedStatuses: UnrecognizedStatus[];
  canResume: boolean;
  blockedBy: BlockedService[];
  resumeInProgress: boolean;
  lastReport: ResumeReport | null;
  /** Live workers in every process (from their heartbeats); null without a worker registry. */
  workers: WorkerHeartbeat[] | null;
  /** Per service, whether its background tasks run; null without a worker registry. */
  backgroundTasks: ServiceBackgroundTasks[] | null;
}

export interface Breakwater {
  readonly services: readonly string[];
  readonly events: EventEmitter<BreakwaterEvents>;
  readonly policy: Readonly<BreakerPolicy>;
  readonly breakers: Breakers;
  readonly campaigns: CampaignRepository;
  readonly queueStore: QueueStore;
  readonly breakerStore: CircuitBreakerStore;
  resumeQueue(options?: ResumeOptions): Promise<ResumeReport>;
  /**
   * Starts a DRAFT campaign in one atomic step: RUNNING, or straight to PAUSED (never running) when a
   * service it needs is paused (within the pause scope). A PAUSED campaign is refused with
   * `ResumeQueueRequiredError`: only `resumeQueue` resumes it.
   */
  startCampaign(id: string, statusMessage?: string | null): Promise<Campaign>;
  status(): Promise<SystemStatus>;
  /**
   * One page of the durable history, newest first (`nextCursor` is the next page's `before`), once this
   * process's own entries are written. `NotConfiguredError` without a history store.
   */
  history(request?: HistoryRequest): Promise<HistoryPage>;
  createWorker<R = unknown>(options: WorkerOptions<R>): Worker;
  /**
   * Checks now for pauses a fault left half-done (a breaker open with its fence down, a fence up with its
   * queue ACTIVE or campaigns still RUNNING …) and completes them; returns the services it completed. The
   * instance also does this on its own every `reconcileIntervalMs`, acting on what two checks in a row find;
   * `immediate` acts on the first.
   */
  reconcile(options?: { immediate?: boolean }): Promise<string[]>;
  /** Stops the reconciler's timer and listening to the stores' change notifications. */
  close(): Promise<void>;
}
