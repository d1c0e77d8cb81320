/**
 * The three ports Breakwater runs on, and two optional ones for operator insight (the history, the workers).
 *
 * How to write an adapter:
 * 1. Implement the interface below; take an already-built client in the constructor
 *    (`new MyStore({ client, keyPrefix })`), never a URL, and make the driver a peer dependency.
 * 2. Make every method marked "atomic" one indivisible step in your store (a Lua script,
 *    a single SQL statement or transaction): many processes share one store.
 * 3. Let your driver's errors through as they are: core wraps every port method (guard-port.ts),
 *    so they reach callers as `StoreError(port, method, cause)`. Throw `InvalidTransitionError` /
 *    `NotFoundError` where noted.
 * 4. Run the contract suite from `@breakwater/core/testing` against the real server, declaring what the
 *    store supports: `circuitBreakerStoreContract({ describe, it, expect }, () => new MyStore(...),
 *    { localView: notSupported('no local cache') })`.
 *
 * Times are ms since the epoch unless a type says Date; durations are ms.
 */
import type { FailureInput, PermitResult, TransitionResult } from './breaker-transitions.js';
import type {
  BreakerRecord,
  Campaign,
  CampaignStatus,
  CountsByStatus,
  Job,
  JobStatus,
  QueueState,
  QueueStateName,
  UnrecognizedStatus,
} from './domain.js';
import type { HistoryEntry, HistoryQuery, NewHistoryEntry } from './history/history-entry.js';
import type { BreakerPolicy } from './policy.js';
import type { ResumeReport } from './report.js';

/** Another store instance (usually another process) changed something; used to emit remote events and wake workers. */
export type Unsubscribe = () => void;

export interface BreakerChange {
  service: string;
  transition: NonNullable<TransitionResult['transition']>;
  record: BreakerRecord;
}

/** A service the durable record says is paused, and why: what a store that lost its state is rebuilt from. */
export interface PausedService {
  service: string;
  reason: string;
}

export interface InitializeStoreInput {
  /** Every configured service: each gets its record written out (closed / ACTIVE unless paused). */
  services: readonly string[];
  /** Services to set up paused (breaker open and latched, queue PAUSED) with this reason. */
  paused: readonly PausedService[];
  now: number;
}

/**
 * What one store instance knows of one service's breaker without asking its server: the hot path of `execute`.
 * Live: it answers as of the moment `peek` is called, for as long as the store lives.
 */
export interface LocalBreakerView {
  /**
   * The record as known here (in memory; a near-cache entry within its staleness bound), null when the store knows
   * none was ever written (closed, zero counts), undefined when it does not know. Never a record while the store
   * holds no state. Core lets a call through a closed breaker on it, awaiting nothing, and skips a success it would
   * not change; anything else takes the store's methods. The record is the store's own: read it, never change it.
   * `monotonicNow` reads `performance.now()` once per decision, shared with the queue's view: call it only when the
   * age of what you know matters (it costs as much as the rest of the decision).
   */
  peek(monotonicNow: () => number): Readonly<BreakerRecord> | null | undefined;
}

/** Like `LocalBreakerView`, for one service's queue state. */
export interface LocalQueueView {
  /** The queue's state as known here, undefined when not known (or the store holds no state). */
  peek(monotonicNow: () => number): QueueStateName | undefined;
}

/**
 * Breaker records, one per service. Every mutating method applies the rules of
 * `breaker-transitions.ts` atomically and returns what it did.
 *
 * A store whose server can lose its state (a Redis restarted without persistence, flushed, or failed
 * over to a replica that had not caught up) must tell that apart from a healthy store: until
 * `initialize` has run on it, every other method throws `StoreStateLostError` and changes nothing.
 * Core answers by rebuilding it from the durable record (the repository's fences) and retrying.
 * A store that keeps its state as long as its callers live (in-memory) is initialized from the start.
 */
export interface CircuitBreakerStore {
  /**
   * Atomic: when the store holds no state (fresh, or lost), writes a record for every service (closed with
   * zero counts; the `paused` ones open and latched with their reason, also over a record that survived) and
   * marks the state as set up; returns true. When it already holds its state it changes nothing and returns false.
   */
  initialize(input: InitializeStoreInput): Promise<boolean>;
  /** The service's record; a closed record with zero counts if none was ever stored. */
  get(service: string, now: number): Promise<BreakerRecord>;
  /** The records of these services, in the order given. */
  list(services: readonly string[], now: number): Promise<BreakerRecord[]>;
  /** Atomic `applyFailure`. Of N concurrent callers past the threshold exactly one sees `opened`. */
  recordFailure(service: string, failure: FailureInput, policy: BreakerPolicy, now: number): Promise<TransitionResult>;
  /** Atomic `applySuccess`; may skip the write when `successIsNoop` holds. */
  recordSuccess(service: string, policy: BreakerPolicy, now: number): Promise<TransitionResult>;
  /** Atomic `applyPermit`: lets a call through, turning open into half_open after the reset timeout. */
  acquirePermit(service: string, policy: BreakerPolicy, now: number): Promise<PermitResult>;
  /** Atomic `applyTrip`: forced open, latched. */
  trip(service: string, reason: string, policy: BreakerPolicy, now: number): Promise<TransitionResult>;
  /** Atomic `applyReset`: closed, counts zeroed. */
  reset(service: string, now: number): Promise<TransitionResult>;
  /**
   * Optional and synchronous, the hot path: a live view of one service's breaker as this instance knows it without
   * asking its server (see `LocalBreakerView`). Core asks for one view per configured service when an instance is
   * created and reads it on every call, so the service is looked up once, not on every call.
   */
  localView?(service: string): LocalBreakerView;
  /** Optional: changes made through other store instances sharing the same state. */
  subscribe?(listener: (change: BreakerChange) => void): Unsubscribe;
}

export type QueueChange = { kind: 'queue'; service: string; state: QueueState } | { kind: 'resume-completed'; resumeId: string };

/**
 * Per-service queue state, the cluster-wide resume lock, and the last resume report. Like the breaker store,
 * a store that lost its state throws `StoreStateLostError` from `getStates`, `pause` and `resume` until
 * `initialize` has run (the lock and the report need no setup).
 */
export interface QueueStore {
  /**
   * Atomic: when the store holds no state (fresh, or lost), writes every service's state (ACTIVE; the `paused`
   * ones PAUSED with their reason, also over a state that survived) and marks the state as set up; returns true.
   * When it already holds its state it changes nothing and returns false.
   */
  initialize(input: Omit<InitializeStoreInput, 'now'>): Promise<boolean>;
  /** The states of these services, in the order given; a service never paused is ACTIVE. */
  getStates(services: readonly string[]): Promise<QueueState[]>;
  /** ACTIVE → PAUSED with a reason; true when it changed. Atomic. */
  pause(service: string, reason: string): Promise<boolean>;
  /** PAUSED → ACTIVE; true when it changed. Atomic. */
  resume(service: string): Promise<boolean>;
  /** Takes the resume lock for `ttlMs` and returns its token, or null when someone holds it. Atomic. */
  acquireResumeLock(ttlMs: number): Promise<string | null>;
  /** Extends the lock if this token still holds it. Atomic. */
  renewResumeLock(token: string, ttlMs: number): Promise<boolean>;
  /** Releases the lock if this token still holds it (compare-and-delete). Atomic. */
  releaseResumeLock(token: string): Promise<boolean>;
  /** Whether anyone holds the resume lock now. */
  isResumeLocked(): Promise<boolean>;
  /** Keeps the last report of a real (not dry-run) resume, replacing the one before; the caller's object is not kept. */
  saveLastReport(report: ResumeReport): Promise<void>;
  /**
   * The last report saved, or null when none was. A store that keeps it serialised reads it back with
   * `parseStoredResumeReport`: what it holds that is not a report (another program's value, an older
   * version's report) is null too, never cast.
   */
  getLastReport(): Promise<ResumeReport | null>;
  /** Optional and synchronous, like `CircuitBreakerStore.localView`: a live view of one service's queue state. */
  localView?(service: string): LocalQueueView;
  /** Optional: changes made through other store instances sharing the same state. */
  subscribe?(listener: (change: QueueChange) => void): Unsubscribe;
}

export interface CreateCampaignInput {
  name: string;
  /** Defaults to DRAFT. */
  status?: CampaignStatus;
}

export interface EnqueueJobInput {
  campaignId: string;
  service: string;
  payload?: unknown;
  /** Defaults to PENDING, or PAUSED (with the pause reason as error) while the service is paused. */
  status?: 'PENDING' | 'PAUSED';
}

/**
 * How an enqueue may hand its new jobs straight to workers of this process (core asks for it when one of
 * them has free slots), instead of leaving them PENDING for a claim.
 */
export interface EnqueueOptions {
  /**
   * Each worker takes up to `limit` of the new jobs of its `service`, in the order given, in the same atomic step
   * as the insert and under exactly the conditions of `claimJobs`: only a job that would start PENDING (not one
   * given `status: 'PAUSED'`), of a RUNNING campaign, while the service's fence is down. Such a job is stored
   * PROCESSING with the worker's lease and `attempts` 1, as a claim leaves it, and no notification is sent for it;
   * every other job is enqueued (and announced) as without claims. A job is taken by at most one worker.
   */
  claims?: readonly ClaimJobsInput[];
  /**
   * Called once, before the enqueue resolves, with the jobs the claims took (in the order given; none when no claim
   * took any), as soon as they are stored and visible to everyone. That may be before the enqueue is on disk (a
   * repository that waits for the disk flush may wait for it after this call), so the workers start at once; if the
   * flush then fails, the enqueue fails while those jobs may be running, as after any failed enqueue that may have
   * committed. Not called when nothing was stored.
   */
  onClaimed?: (jobs: readonly Job[]) => void;
}

export interface JobFilter {
  campaignId?: string;
  service?: string;
  status?: JobStatus;
  /** At most this many, oldest first. */
  limit?: number;
}

export type CampaignResumeOutcome = { id: string; ok: true; jobsResumed: number } | { id: string; ok: false; error: string };

export interface ClaimJobsInput {
  service: string;
  workerId: string;
  limit: number;
  leaseMs: number;
}

/** One job enqueued (`enqueueJob`), or a batch's jobs of one service (`enqueueJobs`: one change per service of the batch). */
export type RepositoryChange =
  | { kind: 'job-enqueued'; service: string; jobId: string }
  | { kind: 'jobs-enqueued'; service: string; count: number };

export interface JobCompletion {
  jobId: string;
  /** What the handler returned; stored on the job (unless it is removed). */
  result: unknown;
}

export interface CompleteJobsInput {
  workerId: string;
  jobs: readonly JobCompletion[];
  /** Deletes the completed rows instead of keeping them COMPLETED (a worker's `removeOnComplete: true`). */
  remove?: boolean;
}

/** A worker's finished jobs to record and its next claim, in one step (`completeAndClaimJobs`). */
export interface CompleteAndClaimJobsInput extends ClaimJobsInput {
  /** Recorded first, exactly as `completeJobs` records them for `workerId`. */
  completions: readonly JobCompletion[];
  /** Deletes the completed rows instead of keeping them COMPLETED, as `completeJobs`' `remove`. */
  remove?: boolean;
}

export interface CompleteAndClaimJobsResult {
  /** One answer per completion, in order: false where the lease was lost. */
  completed: boolean[];
  /** What the claim took, as `claimJobs` returns it. */
  claimed: Job[];
}

/** Which COMPLETED jobs of a service to delete; at least one of `maxAgeMs` and `maxCount`. */
export interface PruneCompletedJobsInput {
  service: string;
  /** Jobs completed longer ago than this (ms) are deleted. */
  maxAgeMs?: number;
  /** Only the `maxCount` most recently completed jobs are kept. */
  maxCount?: number;
  /** At most this many rows are deleted by one call (bounded work); call again while it returns `limit`. */
  limit: number;
}

/** A raised fence: the durable record that a service is paused. */
export interface ServiceFence {
  service: string;
  /** Why it was paused (the cascade's reason). */
  reason: string | null;
  pausedAt: Date;
  /**
   * Whether some RUNNING campaign is still within this pause's scope (any RUNNING campaign for scope `all`;
   * one with unfinished jobs on the service for `affected`): if so, the cascade that raised the fence never finished.
   */
  runningCampaigns: boolean;
}

/** Campaigns and their jobs. Host-facing methods first, then what the cascade, the orchestrator and the worker use. */
export interface CampaignRepository {
  createCampaign(input: CreateCampaignInput): Promise<Campaign>;
  /**
   * Moves a campaign along the transition table; `InvalidTransitionError` otherwise, `NotFoundError` if missing.
   * Without `statusMessage` the current message stays; `null` clears it.
   */
  transitionCampaign(id: string, to: CampaignStatus, statusMessage?: string | null): Promise<Campaign>;
  getCampaign(id: string): Promise<Campaign | null>;
  /** Every status as a key, zero when none. */
  countCampaignsByStatus(): Promise<CountsByStatus<CampaignStatus>>;
  /** Adds a job; `NotFoundError` if the campaign does not exist. With `options.claims`, see `EnqueueOptions`. */
  enqueueJob(input: EnqueueJobInput, options?: EnqueueOptions): Promise<Job>;
  /**
   * Adds many jobs at once, atomic, with the rules of `enqueueJob` for each; the jobs come back in the order
   * given. A missing campaign fails the whole batch with `NotFoundError` naming it, and nothing is added.
   * One notification for the batch (heard as a `jobs-enqueued` change per service, counting the jobs no claim
   * took); an empty list changes nothing. With `options.claims`, see `EnqueueOptions`.
   */
  enqueueJobs(inputs: readonly EnqueueJobInput[], options?: EnqueueOptions): Promise<Job[]>;
  getJob(id: string): Promise<Job | null>;
  listJobs(filter?: JobFilter): Promise<Job[]>;
  /** Every status as a key, zero when none. */
  countJobsByStatus(filter?: { service?: string }): Promise<CountsByStatus<JobStatus>>;
  /** Optional, for stores that can hold other values (a host's own tables): rows whose status is none of Breakwater's. */
  countUnrecognizedStatuses?(): Promise<UnrecognizedStatus[]>;

  /**
   * Pause cascade step 2, atomic: raises the service's fence (claims for it stop) and moves its
   * PENDING jobs to PAUSED with `error = reason`. Returns how many jobs it paused.
   */
  pauseJobsForService(service: string, reason: string): Promise<number>;
  /** Pause cascade step 3: RUNNING campaigns → PAUSED with `statusMessage = reason`; with `service`, only those with unfinished jobs on it. Returns how many. */
  pauseRunningCampaigns(input: { reason: string; service?: string }): Promise<number>;

  /**
   * The durable side of "paused", read every few seconds by every instance's reconciler and when a store has
   * lost its state: every raised fence, in one cheap query.
   */
  readPauseState(input: { scope: 'all' | 'affected' }): Promise<ServiceFence[]>;

  /** resumeQueue step 5: lowers the fence and moves the service's PAUSED jobs to PENDING, error cleared. May run in chunks. Returns how many. */
  resumeJobsForService(service: string): Promise<number>;
  /** resumeQueue step 6: ids of PAUSED campaigns in the adapter's stable order, after `after` (exclusive). */
  listPausedCampaignIds(input: { after?: string; limit: number }): Promise<string[]>;
  /**
   * resumeQueue step 6: each campaign PAUSED → RUNNING with `statusMessage`, and its PAUSED jobs → PENDING
   * (error cleared), with the outcome exactly that of one transaction per campaign. One outcome per id, in order;
   * a campaign no longer PAUSED fails with `Invalid campaign state transition`. Jobs of a service whose fence is up
   * stay PAUSED (a trip that raced the resume wants them so), and `jobsResumed` counts only the jobs moved.
   */
  resumeCampaigns(ids: readonly string[], statusMessage: string): Promise<CampaignResumeOutcome[]>;

  /**
   * Worker claim, atomic: up to `limit` jobs of the service that are PENDING and available (or PROCESSING with an
   * expired lease), whose campaign is RUNNING, and only while the service's fence is down, become PROCESSING
   * with a lease, `attempts + 1`. A claim racing `pauseJobsForService` either finishes before it or claims nothing.
   */
  claimJobs(input: ClaimJobsInput): Promise<Job[]>;
  /** PROCESSING (held by this worker) → COMPLETED with the result, error cleared. False if the lease was lost. */
  completeJob(input: { jobId: string; workerId: string; result: unknown }): Promise<boolean>;
  /**
   * `completeJob` for many jobs of one worker in one atomic step (or, with `remove`, deletes them instead):
   * one answer per job, in order, false where the lease was lost.
   */
  completeJobs(input: CompleteJobsInput): Promise<boolean[]>;
  /**
   * `completeJobs` for the worker's `completions`, then `claimJobs`, in one atomic step: a worker records what it
   * finished with the claim that refills its slots (one round trip where two were). Either both happen or neither.
   * A job completed here is never among the ones claimed (not even if its lease had expired); `limit` 0 claims nothing.
   */
  completeAndClaimJobs(input: CompleteAndClaimJobsInput): Promise<CompleteAndClaimJobsResult>;
  /** Retention: deletes COMPLETED jobs of the service beyond `maxAgeMs` / `maxCount`, oldest first. Returns how many. */
  pruneCompletedJobs(input: PruneCompletedJobsInput): Promise<number>;
  /**
   * PROCESSING (held by this worker) → PENDING again after `retryInMs`, or FAILED when it is null. False if the
   * lease was lost. While the service's fence is up, a retry waits as PAUSED with the pause reason instead (the
   * pause could not take the job while it ran, and only PAUSED jobs resume); the fence is read atomically with
   * the write, as a claim reads it.
   */
  failJob(input: { jobId: string; workerId: string; error: string; retryInMs: number | null }): Promise<boolean>;
  /** PROCESSING (held by this worker) → PAUSED with `error = reason`, giving the attempt back. False if the lease was lost. */
  repauseJob(input: { jobId: string; workerId: string; reason: string }): Promise<boolean>;
  /**
   * PROCESSING (held by this worker) → PENDING again after `retryInMs`, giving the attempt back: the job never
   * reached the service (its worker stopped, or could not check the breaker). False if the lease was lost.
   * PAUSED with the pause reason instead while the service's fence is up, as `failJob`'s retry.
   */
  releaseJob(input: { jobId: string; workerId: string; retryInMs: number }): Promise<boolean>;
  /**
   * PROCESSING jobs whose lease has expired → PENDING (the crashed worker's attempt stays counted), or PAUSED with
   * the pause reason while their service's fence is up. Returns how many.
   */
  releaseExpiredLeases(input?: { service?: string }): Promise<number>;
  /** Optional: new jobs, so idle workers wake at once. */
  subscribe?(listener: (change: RepositoryChange) => void): Unsubscribe;

  // ---- Starting a campaign (the only way in), and the operator's view of paused ones -------------

  /**
   * Atomic, one step: a DRAFT campaign → RUNNING with `statusMessage`, or straight to PAUSED with
   * `pausedMessage(service)` when the fence of one of `services` (in `scope`) is up: it never runs, not even
   * for a moment, while a service it needs is paused. A start racing `pauseJobsForService` either sees the
   * fence up, or commits before the fence goes up (and the cascade's campaign step then pauses it).
   * A PAUSED campaign is refused with `ResumeQueueRequiredError` (only `resumeCampaigns` resumes it), any
   * other status with `InvalidTransitionError`; `NotFoundError` if missing.
   */
  startCampaign(input: StartCampaignInput): Promise<Campaign>;
  /**
   * Campaigns (of `status`, when given) in the adapter's stable id order (as `listPausedCampaignIds`), after
   * `after` (exclusive), at most `limit`: what the dashboard pages through, with their status messages.
   */
  listCampaigns(filter: CampaignListFilter): Promise<Campaign[]>;
}

export interface CampaignListFilter {
  status?: CampaignStatus;
  /** The id of the last campaign of the page before. */
  after?: string;
  limit: number;
}

export interface StartCampaignInput {
  id: string;
  /** The services whose raised fences hold a starting campaign, in the order that picks whose message it gets. */
  services: readonly string[];
  /** `all`: any raised fence of those services holds it; `affected`: only that of a service it has unfinished jobs on. */
  scope: 'all' | 'affected';
  /** The status message when it starts RUNNING; undefined keeps the current one, null clears it. */
  statusMessage?: string | null;
  /** The status message when it starts PAUSED, held by the fence of `service`. */
  pausedMessage: (service: string) => string;
}

// ---- Operator insight (optional ports): the durable history, and the live workers ------------------------

/**
 * The durable history of what happened to the breakers, the queues and the resumes, shared by every process
 * (each appends what it did) and bounded by a retention. Optional: without one, nothing is recorded.
 * Breakwater never lets it fail a breaker call, a cascade or a resume: a failing store is logged and
 * emitted as `store:error`.
 */
export interface HistoryStore {
  /** Appends the entries in one write, in the order given; each gets an id larger than every id before it. */
  append(entries: readonly NewHistoryEntry[]): Promise<void>;
  /** Entries matching the query, newest (largest id) first, at most `query.limit`. */
  list(query: HistoryQuery): Promise<HistoryEntry[]>;
  /** Deletes the entries from before `before` (ms since the epoch); returns how many. */
  prune(before: number): Promise<number>;
}

/** One live worker, as its last heartbeat described it. Times are ms since the epoch. */
export interface WorkerHeartbeat {
  workerId: string;
  service: string;
  /** The process and host it runs in. */
  pid: number;
  hostname: string;
  concurrency: number;
  /** Jobs it was running when it sent the heartbeat. */
  jobsInFlight: number;
  startedAt: number;
  lastSeenAt: number;
}

/**
 * Where workers announce themselves (a store every process shares): a worker sends a heartbeat every few
 * seconds and counts as live until `ttlMs` after its last one. Optional: without one, `status()` reports
 * no workers (`null`), rather than guess.
 */
export interface WorkerRegistry {
  /** Records the heartbeat (replacing the worker's previous one); it is live for `ttlMs` from now. Atomic. */
  beat(heartbeat: WorkerHeartbeat, ttlMs: number): Promise<void>;
  /** Every live worker, by service then id; stale ones (no heartbeat within their `ttlMs`) are dropped. */
  list(): Promise<WorkerHeartbeat[]>;
  /** Forgets a worker that stopped; true when it was listed. */
  remove(workerId: string): Promise<boolean>;
}
