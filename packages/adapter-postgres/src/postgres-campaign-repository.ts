/**
 * CampaignRepository on PostgreSQL through the host's knex instance (client `pg`).
 *
 * Every port method is one statement or one short transaction, set-based: the cascade pauses a
 * service's jobs in one UPDATE, resumeQueue resumes them in id-range chunks and resumes campaigns
 * in batches that split on failure (see isolating-batches.ts). Driver failures come out as pg's own
 * errors, with the database's message: Breakwater (core's guardPort) wraps every port method, so through
 * it they reach callers as `StoreError('CampaignRepository', <method>, cause)`.
 */
import type { Knex } from 'knex';
import {
  InvalidOptionsError,
  rejectUnknownOptions,
  type Campaign,
  type CampaignListFilter,
  type CampaignRepository,
  type CampaignResumeOutcome,
  type CampaignStatus,
  type ClaimJobsInput,
  type CompleteAndClaimJobsInput,
  type CompleteAndClaimJobsResult,
  type CompleteJobsInput,
  type CountsByStatus,
  type CreateCampaignInput,
  type EnqueueJobInput,
  type EnqueueOptions,
  type Job,
  type JobFilter,
  type JobStatus,
  type PruneCompletedJobsInput,
  type RepositoryChange,
  type ServiceFence,
  type StartCampaignInput,
  type Unsubscribe,
  type UnrecognizedStatus,
} from '@breakwater/core';
import { BulkEnqueue } from './bulk-enqueue.js';
import { CampaignRecords } from './campaign-records.js';
import { CampaignResume } from './campaign-resume.js';
import { CampaignStart } from './campaign-start.js';
import { CompleteAndClaim } from './complete-and-claim.js';
import { CommitDurability, DURABLE_JOB_WRITES, type DurableJobWrites } from './commit-durability.js';
import { CompletedJobRetention } from './completed-job-retention.js';
import { JobLeases } from './job-leases.js';
import { JobNotifications } from './job-notifications.js';
import { JobRecords } from './job-records.js';
import { milliseconds, requirePostgresKnex } from './knex-options.js';
import { MappingAwareSql } from './mapping-aware-sql.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS } from './pool-sql.js';
import { type SchemaNamingOptions, resolveSqlNames } from './schema-names.js';
import { ServiceFences } from './service-fences.js';
import { countUnrecognizedStatuses } from './unrecognized-statuses.js';

export interface PostgresCampaignRepositoryOptions extends SchemaNamingOptions {
  /** A knex instance the host built, with client `pg`. The repository borrows its pool and never closes it. */
  knex: Knex;
  /** Campaigns resumed per transaction by resumeCampaigns (a failing batch is split until its culprits are alone). Default 1000. */
  resumeBatchSize?: number;
  /** Jobs moved per statement by resumeJobsForService. Default 50000. */
  jobResumeChunkSize?: number;
  /** Statements resumeJobsForService runs at once, each on its own pooled connection. Default 2. */
  jobResumeConcurrency?: number;
  /** The NOTIFY channel enqueueJob signals and subscribe listens on. Default `breakwater_jobs`. */
  notifyChannel?: string;
  /**
   * Longest any one statement may take before the repository stops waiting (and the server cancels it): a
   * silent or stuck database fails the call with a clear error instead of hanging it. Default 30000; 0: no limit.
   */
  statementTimeoutMs?: number;
  /**
   * Longest the repository waits for a connection from the host's pool, connecting included, before it fails
   * with an error naming the server and the time waited. Default 10000; 0: only the host's own limits.
   */
  connectTimeoutMs?: number;
  /**
   * Where `subscribe` opens its one LISTEN connection: a knex instance (client `pg`) that reaches
   * PostgreSQL directly, for hosts whose `knex` goes through a transaction-pooling PgBouncer, where LISTEN
   * does not outlive its statement and no notification ever arrives. Only one raw connection is opened
   * from it, never its pool. Default: `knex`.
   */
  listenKnex?: Knex;
  /**
   * Which job writes wait for PostgreSQL to flush them to disk before they return; pauses, fences and resumes
   * always wait. `'enqueues'` (default): enqueues wait, a worker's claims and outcomes do not, so a crash of the
   * PostgreSQL server itself may forget the last few hundred ms of them and those jobs run again (delivery is
   * at-least-once anyway), while no enqueued job is ever lost. `'all'`: claims and outcomes wait too, each paying a
   * disk flush. `'none'`: enqueues do not wait either, so such a crash may also lose the jobs enqueued in its last
   * few hundred ms, as Redis with `appendfsync everysec` may. See commit-durability.ts.
   */
  durableJobWrites?: DurableJobWrites;
  /**
   * Runs the statements as named prepared statements, planned once per connection (the claim's planning costs
   * more than its run). Default true. Behind a transaction-pooling PgBouncer before 1.21 (or without
   * `max_prepared_statements`) pass false; left on there, the first refusal turns them off with a warning.
   */
  preparedStatements?: boolean;
}

export const DEFAULT_RESUME_BATCH_SIZE = 1000;
export const DEFAULT_JOB_RESUME_CHUNK_SIZE = 50_000;
export const DEFAULT_JOB_RESUME_CONCURRENCY = 2;
export const DEFAULT_NOTIFY_CHANNEL = 'breakwater_jobs';
export { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS } from './pool-sql.js';

export class PostgresCampaignRepository implements CampaignRepository {
  readonly #campaigns: CampaignRecords;
  readonly #jobs: JobRecords;
  readonly #bulkEnqueue: BulkEnqueue;
  readonly #retention: CompletedJobRetention;
  readonly #fences: ServiceFences;
  readonly #resume: CampaignResume;
  readonly #leases: JobLeases;
  readonly #completeAndClaim: CompleteAndClaim;
  readonly #notifications: JobNotifications;
  readonly #unrecognizedStatuses: () => Promise<UnrecognizedStatus[]>;
  readonly #start: CampaignStart;

  constructor(options: PostgresCampaignRepositoryOptions) {
    const resolved = validateOptions(options);
    const names = resolveSqlNames(options);
    const sql = new MappingAwareSql(
      names,
      options.knex,
      { statementTimeoutMs: resolved.statementTimeoutMs, connectTimeoutMs: resolved.connectTimeoutMs },
      { preparedStatements: resolved.preparedStatements },
    );
    const durability = new CommitDurability(resolved.durableJobWrites, sql.commitsEachStatement);
    this.#fences = new ServiceFences(sql, names, { chunkSize: resolved.jobResumeChunkSize, concurrency: resolved.jobResumeConcurrency });
    this.#campaigns = new CampaignRecords(sql, names);
    this.#jobs = new JobRecords(sql, names, this.#fences, resolved.notifyChannel, durability);
    this.#bulkEnqueue = new BulkEnqueue(sql, names, this.#fences, resolved.notifyChannel, durability);
    this.#retention = new CompletedJobRetention(sql, names);
    this.#resume = new CampaignResume(sql, names, resolved.resumeBatchSize);
    this.#leases = new JobLeases(sql, names, this.#fences, durability);
    this.#completeAndClaim = new CompleteAndClaim(sql, names, this.#fences, durability, this.#leases);
    this.#notifications = new JobNotifications(options.listenKnex ?? options.knex, resolved.notifyChannel);
    this.#unrecognizedStatuses = () => countUnrecognizedStatuses(sql, names);
    this.#start = new CampaignStart(sql, names, this.#fences);
  }

  createCampaign(input: CreateCampaignInput): Promise<Campaign> {
    return this.#campaigns.create(input);
  }

  transitionCampaign(id: string, to: CampaignStatus, statusMessage?: string | null): Promise<Campaign> {
    return this.#campaigns.transition(id, to, statusMessage);
  }

  getCampaign(id: string): Promise<Campaign | null> {
    return this.#campaigns.get(id);
  }

  countCampaignsByStatus(): Promise<CountsByStatus<CampaignStatus>> {
    return this.#campaigns.countByStatus();
  }

  async enqueueJob(input: EnqueueJobInput, options?: EnqueueOptions): Promise<Job> {
    await this.#notifications.whenListening();
    return this.#jobs.enqueue(input, options);
  }

  /** One INSERT for the whole batch, one NOTIFY for it. */
  async enqueueJobs(inputs: readonly EnqueueJobInput[], options?: EnqueueOptions): Promise<Job[]> {
    await this.#notifications.whenListening();
    return this.#bulkEnqueue.enqueue(inputs, options);
  }

  getJob(id: string): Promise<Job | null> {
    return this.#jobs.get(id);
  }

  listJobs(filter: JobFilter = {}): Promise<Job[]> {
    return this.#jobs.list(filter);
  }

  countJobsByStatus(filter: { service?: string } = {}): Promise<CountsByStatus<JobStatus>> {
    return this.#jobs.countByStatus(filter);
  }

  /** Rows of the host's tables whose status is none of Breakwater's; `status()` reports them. One scan of each table. */
  countUnrecognizedStatuses(): Promise<UnrecognizedStatus[]> {
    // Unwrapped: core's port guard turns its driver errors into StoreError, as it does for every method.
    return this.#unrecognizedStatuses();
  }

  pauseJobsForService(service: string, reason: string): Promise<number> {
    return this.#fences.pauseJobs(service, reason);
  }

  pauseRunningCampaigns(input: { reason: string; service?: string }): Promise<number> {
    return this.#campaigns.pauseRunning(input);
  }

  readPauseState(input: { scope: 'all' | 'affected' }): Promise<ServiceFence[]> {
    return this.#fences.readPauseState(input.scope);
  }

  resumeJobsForService(service: string): Promise<number> {
    return this.#fences.resumeJobs(service);
  }

  listPausedCampaignIds(input: { after?: string; limit: number }): Promise<string[]> {
    return this.#campaigns.listPausedIds(input);
  }

  resumeCampaigns(ids: readonly string[], statusMessage: string): Promise<CampaignResumeOutcome[]> {
    return this.#resume.resume(ids, statusMessage);
  }

  claimJobs(input: ClaimJobsInput): Promise<Job[]> {
    return this.#leases.claim(input);
  }

  completeJob(input: { jobId: string; workerId: string; result: unknown }): Promise<boolean> {
    return this.#leases.complete(input);
  }

  completeJobs(input: CompleteJobsInput): Promise<boolean[]> {
    return this.#leases.completeMany(input);
  }

  /** The completions and the claim in one statement (complete-and-claim.ts). */
  completeAndClaimJobs(input: CompleteAndClaimJobsInput): Promise<CompleteAndClaimJobsResult> {
    return this.#completeAndClaim.run(input);
  }

  pruneCompletedJobs(input: PruneCompletedJobsInput): Promise<number> {
    return this.#retention.prune(input);
  }

  failJob(input: { jobId: string; workerId: string; error: string; retryInMs: number | null }): Promise<boolean> {
    return this.#leases.fail(input);
  }

  repauseJob(input: { jobId: string; workerId: string; reason: string }): Promise<boolean> {
    return this.#leases.repause(input);
  }

  releaseJob(input: { jobId: string; workerId: string; retryInMs: number }): Promise<boolean> {
    return this.#leases.release(input);
  }

  releaseExpiredLeases(input: { service?: string } = {}): Promise<number> {
    return this.#leases.releaseExpired(input);
  }

  /** Every enqueued job, this instance's and other processes', through LISTEN on one dedicated connection. */
  subscribe(listener: (change: RepositoryChange) => void): Unsubscribe {
    return this.#notifications.subscribe(listener);
  }

  // ---- Starting a campaign, and the operator's view of paused ones ----

  startCampaign(input: StartCampaignInput): Promise<Campaign> {
    return this.#start.start(input);
  }

  listCampaigns(filter: CampaignListFilter): Promise<Campaign[]> {
    return this.#campaigns.list(filter);
  }
}

type Tunables = 'resumeBatchSize' | 'jobResumeChunkSize' | 'jobResumeConcurrency';

const OPTION_NAMES = [
  'knex',
  'tables',
  'columns',
  'resumeBatchSize',
  'jobResumeChunkSize',
  'jobResumeConcurrency',
  'notifyChannel',
  'statementTimeoutMs',
  'connectTimeoutMs',
  'listenKnex',
  'durableJobWrites',
  'preparedStatements',
] as const satisfies readonly (keyof PostgresCampaignRepositoryOptions)[];
// Every option named above: a new one left out fails the typecheck here, not a host's constructor call.
const EVERY_OPTION_NAMED: [Exclude<keyof PostgresCampaignRepositoryOptions, (typeof OPTION_NAMES)[number]>] extends [never] ? true : false =
  true;
void EVERY_OPTION_NAMED;
type Timeouts = 'statementTimeoutMs' | 'connectTimeoutMs';

function validateOptions(
  options: PostgresCampaignRepositoryOptions,
): Required<Pick<PostgresCampaignRepositoryOptions, Tunables | Timeouts | 'notifyChannel' | 'durableJobWrites' | 'preparedStatements'>> {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionsError('PostgresCampaignRepository needs an options object');
  rejectUnknownOptions('PostgresCampaignRepository', options, OPTION_NAMES);
  if (typeof options.knex === 'string') {
    throw new InvalidOptionsError(
      'Invalid option "knex": a connection string was given; pass a knex instance built from it ' +
        "(knex({ client: 'pg', connection: '<your connection string>' })), which the host owns and destroys",
    );
  }
  requirePostgresKnex('knex', options.knex, 'Missing required option "knex": a knex instance built by the host (client "pg")');
  if (options.listenKnex !== undefined)
    requirePostgresKnex('listenKnex', options.listenKnex, 'Invalid option "listenKnex": must be a knex instance (client "pg")');
  const positive = (name: Tunables, fallback: number) => {
    const value = options[name] ?? fallback;
    if (!Number.isSafeInteger(value) || value <= 0) throw new InvalidOptionsError(`Invalid option "${name}": must be a positive integer`);
    return value;
  };
  const notifyChannel = options.notifyChannel ?? DEFAULT_NOTIFY_CHANNEL;
  if (typeof notifyChannel !== 'string' || notifyChannel.length === 0)
    throw new InvalidOptionsError('Invalid option "notifyChannel": must be a non-empty string');
  const durableJobWrites = options.durableJobWrites ?? 'enqueues';
  if (!DURABLE_JOB_WRITES.includes(durableJobWrites))
    throw new InvalidOptionsError(
      `Invalid option "durableJobWrites": must be one of ${DURABLE_JOB_WRITES.map((v) => `"${v}"`).join(', ')}`,
    );
  const preparedStatements = options.preparedStatements ?? true;
  if (typeof preparedStatements !== 'boolean') throw new InvalidOptionsError('Invalid option "preparedStatements": must be true or false');
  return {
    resumeBatchSize: positive('resumeBatchSize', DEFAULT_RESUME_BATCH_SIZE),
    jobResumeChunkSize: positive('jobResumeChunkSize', DEFAULT_JOB_RESUME_CHUNK_SIZE),
    jobResumeConcurrency: positive('jobResumeConcurrency', DEFAULT_JOB_RESUME_CONCURRENCY),
    statementTimeoutMs: milliseconds('statementTimeoutMs', options.statementTimeoutMs, DEFAULT_STATEMENT_TIMEOUT_MS),
    connectTimeoutMs: milliseconds('connectTimeoutMs', options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS),
    notifyChannel,
    durableJobWrites,
    preparedStatements,
  };
}
