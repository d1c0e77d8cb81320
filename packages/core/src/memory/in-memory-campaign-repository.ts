/**
 * The embedded CampaignRepository, and the reference behaviour for every other one.
 * Every method does its reads and writes without awaiting in between, so each is one
 * indivisible step here: the in-memory equivalent of one transaction.
 */
import { assertTransition } from '../campaign-transitions.js';
import { CAMPAIGN_STATUSES, JOB_STATUSES, emptyCounts } from '../domain.js';
import type { Campaign, CampaignStatus, CountsByStatus, Job, JobStatus } from '../domain.js';
import { InvalidTransitionError, NotFoundError } from '../errors.js';
import type {
  CampaignListFilter,
  CampaignRepository,
  CampaignResumeOutcome,
  ClaimJobsInput,
  CompleteAndClaimJobsInput,
  CompleteAndClaimJobsResult,
  CompleteJobsInput,
  CreateCampaignInput,
  EnqueueJobInput,
  EnqueueOptions,
  JobFilter,
  PruneCompletedJobsInput,
  RepositoryChange,
  ServiceFence,
  StartCampaignInput,
  Unsubscribe,
} from '../ports.js';

export interface InMemoryCampaignRepositoryOptions {
  /** ms since the epoch; every Date the repository writes is built from it. Default `Date.now`. */
  clock?: () => number;
  /**
   * Runs inside each campaign's resume, before anything changes. If it throws, that campaign's resume
   * fails the way a database trigger would fail it: the campaign and its jobs stay as they were and the
   * outcome carries the error's message. The other campaigns are not affected.
   */
  beforeCampaignResume?: (campaign: Campaign) => void;
}

/** Jobs that still have work to do on their service: what scopes `pauseRunningCampaigns` to a service. */
const UNFINISHED_JOB_STATUSES: readonly JobStatus[] = ['PENDING', 'PROCESSING', 'PAUSED'];

export class InMemoryCampaignRepository implements CampaignRepository {
  readonly #clock: () => number;
  readonly #beforeCampaignResume: ((campaign: Campaign) => void) | undefined;
  // Maps keep insertion order, which is id order: that is "oldest first" and the paused-id paging order.
  readonly #campaigns = new Map<string, Campaign>();
  readonly #jobs = new Map<string, Job>();
  /** The service fence: while a service has an entry here, its jobs are not claimed and new ones start PAUSED. */
  readonly #fences = new Map<string, { reason: string; pausedAt: Date }>();
  readonly #listeners = new Set<(change: RepositoryChange) => void>();
  #lastCampaignId = 0;
  #lastJobId = 0;

  constructor(options: InMemoryCampaignRepositoryOptions = {}) {
    this.#clock = options.clock ?? Date.now;
    this.#beforeCampaignResume = options.beforeCampaignResume;
  }

  async createCampaign(input: CreateCampaignInput): Promise<Campaign> {
    const now = new Date(this.#clock());
    const campaign: Campaign = {
      id: String(++this.#lastCampaignId),
      name: input.name,
      status: input.status ?? 'DRAFT',
      statusMessage: null,
      createdAt: now,
      updatedAt: now,
    };
    this.#campaigns.set(campaign.id, campaign);
    return copyCampaign(campaign);
  }

  async transitionCampaign(id: string, to: CampaignStatus, statusMessage?: string | null): Promise<Campaign> {
    const campaign = this.#requireCampaign(id);
    assertTransition(campaign.status, to);
    campaign.status = to;
    // undefined leaves the message as it is; null clears it.
    if (statusMessage !== undefined) campaign.statusMessage = statusMessage;
    campaign.updatedAt = new Date(this.#clock());
    return copyCampaign(campaign);
  }

  async getCampaign(id: string): Promise<Campaign | null> {
    const campaign = this.#campaigns.get(id);
    return campaign ? copyCampaign(campaign) : null;
  }

  async countCampaignsByStatus(): Promise<CountsByStatus<CampaignStatus>> {
    const counts = emptyCounts(CAMPAIGN_STATUSES);
    for (const campaign of this.#campaigns.values()) counts[campaign.status] += 1;
    return counts;
  }

  async enqueueJob(input: EnqueueJobInput, options: EnqueueOptions = {}): Promise<Job> {
    this.#requireCampaign(input.campaignId);
    const job = this.#insertJob(input, new HandoffSlots(options.claims));
    // A job a worker took needs no announcing: nobody else is to claim it.
    if (job.status !== 'PROCESSING') this.#notify({ kind: 'job-enqueued', service: job.service, jobId: job.id });
    this.#handedOff([job], options);
    return copyJob(job);
  }

  async enqueueJobs(inputs: readonly EnqueueJobInput[], options: EnqueueOptions = {}): Promise<Job[]> {
    if (inputs.length === 0) return [];
    // Every campaign is checked before the first job is added: a batch goes in whole or not at all.
    for (const input of inputs) this.#requireCampaign(input.campaignId);
    const slots = new HandoffSlots(options.claims);
    const added = inputs.map((input) => this.#insertJob(input, slots));
    const perService = new Map<string, number>();
    for (const job of added) if (job.status !== 'PROCESSING') perService.set(job.service, (perService.get(job.service) ?? 0) + 1);
    for (const [service, count] of perService) this.#notify({ kind: 'jobs-enqueued', service, count });
    this.#handedOff(added, options);
    return added.map(copyJob);
  }

  /** `onClaimed` with copies of the jobs the claims took (stored and visible now: memory needs no flush). */
  #handedOff(added: readonly Job[], options: EnqueueOptions): void {
    if (options.claims === undefined || options.onClaimed === undefined) return;
    const workers = new Set(options.claims.map((claim) => claim.workerId));
    options.onClaimed(added.filter((job) => job.status === 'PROCESSING' && workers.has(job.leaseOwner ?? '')).map(copyJob));
  }

  async getJob(id: string): Promise<Job | null> {
    const job = this.#jobs.get(id);
    return job ? copyJob(job) : null;
  }

  async listJobs(filter: JobFilter = {}): Promise<Job[]> {
    const found: Job[] = [];
    for (const job of this.#jobs.values()) {
      if (filter.limit !== undefined && found.length >= filter.limit) break;
      if (filter.campaignId !== undefined && job.campaignId !== filter.campaignId) continue;
      if (filter.service !== undefined && job.service !== filter.service) continue;
      if (filter.status !== undefined && job.status !== filter.status) continue;
      found.push(copyJob(job));
    }
    return found;
  }

  async countJobsByStatus(filter: { service?: string } = {}): Promise<CountsByStatus<JobStatus>> {
    const counts = emptyCounts(JOB_STATUSES);
    for (const job of this.#jobs.values()) {
      if (filter.service === undefined || job.service === filter.service) counts[job.status] += 1;
    }
    return counts;
  }

  async pauseJobsForService(service: string, reason: string): Promise<number> {
    const now = new Date(this.#clock());
    this.#fences.set(service, { reason, pausedAt: now });
    let paused = 0;
    for (const job of this.#jobs.values()) {
      if (job.service !== service || job.status !== 'PENDING') continue;
      patch(job, { status: 'PAUSED', error: reason, updatedAt: now });
      paused += 1;
    }
    return paused;
  }

  async pauseRunningCampaigns(input: { reason: string; service?: string }): Promise<number> {
    const scoped = input.service === undefined ? null : this.#campaignsWithUnfinishedJobsOn(input.service);
    const now = new Date(this.#clock());
    let paused = 0;
    for (const campaign of this.#campaigns.values()) {
      if (campaign.status !== 'RUNNING' || (scoped !== null && !scoped.has(campaign.id))) continue;
      patch(campaign, { status: 'PAUSED', statusMessage: input.reason, updatedAt: now });
      paused += 1;
    }
    return paused;
  }

  async readPauseState(input: { scope: 'all' | 'affected' }): Promise<ServiceFence[]> {
    const running = [...this.#campaigns.values()].filter((campaign) => campaign.status === 'RUNNING');
    return [...this.#fences].map(([service, fence]) => {
      const scoped = input.scope === 'all' ? null : this.#campaignsWithUnfinishedJobsOn(service);
      return {
        service,
        reason: fence.reason,
        pausedAt: new Date(fence.pausedAt),
        runningCampaigns: running.some((campaign) => scoped === null || scoped.has(campaign.id)),
      };
    });
  }

  async resumeJobsForService(service: string): Promise<number> {
    this.#fences.delete(service);
    const now = new Date(this.#clock());
    let resumed = 0;
    for (const job of this.#jobs.values()) {
      if (job.service !== service || job.status !== 'PAUSED') continue;
      patch(job, { status: 'PENDING', error: null, updatedAt: now });
      resumed += 1;
    }
    return resumed;
  }

  async listPausedCampaignIds(input: { after?: string; limit: number }): Promise<string[]> {
    const after = input.after === undefined ? null : Number(input.after);
    const ids: string[] = [];
    for (const campaign of this.#campaigns.values()) {
      if (ids.length >= input.limit) break;
      if (campaign.status !== 'PAUSED' || (after !== null && Number(campaign.id) <= after)) continue;
      ids.push(campaign.id);
    }
    return ids;
  }

  async resumeCampaigns(ids: readonly string[], statusMessage: string): Promise<CampaignResumeOutcome[]> {
    return ids.map((id) => {
      try {
        return { id, ok: true, jobsResumed: this.#resumeCampaign(id, statusMessage) };
      } catch (error) {
        return { id, ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    });
  }

  async claimJobs(input: ClaimJobsInput): Promise<Job[]> {
    return this.#claim(input);
  }

  #claim(input: ClaimJobsInput): Job[] {
    if (this.#fences.has(input.service)) return [];
    const now = this.#clock();
    const claimed: Job[] = [];
    for (const job of this.#jobs.values()) {
      if (claimed.length >= input.limit) break;
      if (job.service !== input.service || !this.#claimable(job, now)) continue;
      patch(job, {
        status: 'PROCESSING',
        leaseOwner: input.workerId,
        leaseExpiresAt: new Date(now + input.leaseMs),
        attempts: job.attempts + 1,
        updatedAt: new Date(now),
      });
      claimed.push(copyJob(job));
    }
    return claimed;
  }

  async completeJob(input: { jobId: string; workerId: string; result: unknown }): Promise<boolean> {
    const job = this.#heldJob(input.jobId, input.workerId);
    if (!job) return false;
    patch(job, { status: 'COMPLETED', result: structuredClone(input.result ?? null), error: null, ...this.#noLease() });
    return true;
  }

  async completeJobs(input: CompleteJobsInput): Promise<boolean[]> {
    return this.#complete(input);
  }

  #complete(input: CompleteJobsInput): boolean[] {
    return input.jobs.map(({ jobId, result }) => {
      const job = this.#heldJob(jobId, input.workerId);
      if (!job) return false;
      if (input.remove) this.#jobs.delete(jobId);
      else patch(job, { status: 'COMPLETED', result: structuredClone(result ?? null), error: null, ...this.#noLease() });
      return true;
    });
  }

  /** Synchronous from start to end, so no other call sees the completions without the claim. */
  async completeAndClaimJobs(input: CompleteAndClaimJobsInput): Promise<CompleteAndClaimJobsResult> {
    const { completions, remove, ...claim } = input;
    const completed = this.#complete({ workerId: claim.workerId, jobs: completions, ...(remove ? { remove } : {}) });
    // A job just completed is no longer PROCESSING, so the claim cannot take it back even if its lease had expired.
    return { completed, claimed: this.#claim(claim) };
  }

  async pruneCompletedJobs(input: PruneCompletedJobsInput): Promise<number> {
    const cutoff = input.maxAgeMs === undefined ? null : this.#clock() - input.maxAgeMs;
    // Most recently completed first (the newest id on a tie), as the count keeps those.
    const completed = [...this.#jobs.values()]
      .filter((job) => job.service === input.service && job.status === 'COMPLETED')
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || Number(b.id) - Number(a.id));
    const expired = completed.filter(
      (job, newness) =>
        (input.maxCount !== undefined && newness >= input.maxCount) || (cutoff !== null && job.updatedAt.getTime() < cutoff),
    );
    const oldestFirst = expired.reverse().slice(0, input.limit);
    for (const job of oldestFirst) this.#jobs.delete(job.id);
    return oldestFirst.length;
  }

  async failJob(input: { jobId: string; workerId: string; error: string; retryInMs: number | null }): Promise<boolean> {
    const job = this.#heldJob(input.jobId, input.workerId);
    if (!job) return false;
    if (input.retryInMs === null) {
      patch(job, { status: 'FAILED', error: input.error, ...this.#noLease() });
    } else {
      // The error stays visible while the job waits for its retry (or, its service paused, for the resume).
      const availableAt = new Date(this.#clock() + input.retryInMs);
      patch(job, { ...this.#waiting(job.service, input.error), availableAt, ...this.#noLease() });
    }
    return true;
  }

  async repauseJob(input: { jobId: string; workerId: string; reason: string }): Promise<boolean> {
    const job = this.#heldJob(input.jobId, input.workerId);
    if (!job) return false;
    // The breaker refused the call, so this attempt never reached the service: give it back.
    patch(job, { status: 'PAUSED', error: input.reason, attempts: Math.max(0, job.attempts - 1), ...this.#noLease() });
    return true;
  }

  async releaseJob(input: { jobId: string; workerId: string; retryInMs: number }): Promise<boolean> {
    const job = this.#heldJob(input.jobId, input.workerId);
    if (!job) return false;
    // The job never reached the service: the attempt is given back, the last error stays.
    patch(job, {
      ...this.#waiting(job.service, job.error),
      attempts: Math.max(0, job.attempts - 1),
      availableAt: new Date(this.#clock() + input.retryInMs),
      ...this.#noLease(),
    });
    return true;
  }

  async releaseExpiredLeases(input: { service?: string } = {}): Promise<number> {
    const now = this.#clock();
    let released = 0;
    for (const job of this.#jobs.values()) {
      if (input.service !== undefined && job.service !== input.service) continue;
      if (!leaseExpired(job, now)) continue;
      patch(job, { ...this.#waiting(job.service, job.error), ...this.#noLease() });
      released += 1;
    }
    return released;
  }

  /** Reports every enqueued job, this instance's included: hosts enqueue straight through the repository. */
  subscribe(listener: (change: RepositoryChange) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  async startCampaign(input: StartCampaignInput): Promise<Campaign> {
    const campaign = this.#requireCampaign(input.id);
    assertTransition(campaign.status, 'RUNNING');
    const scoped = input.scope === 'affected' ? this.#servicesWithUnfinishedJobsOf(campaign.id) : null;
    const holding = input.services.find((service) => this.#fences.has(service) && (scoped === null || scoped.has(service)));
    if (holding === undefined) {
      patch(campaign, { status: 'RUNNING', updatedAt: new Date(this.#clock()) });
      if (input.statusMessage !== undefined) campaign.statusMessage = input.statusMessage;
    } else {
      patch(campaign, { status: 'PAUSED', statusMessage: input.pausedMessage(holding), updatedAt: new Date(this.#clock()) });
    }
    return copyCampaign(campaign);
  }

  async listCampaigns(filter: CampaignListFilter): Promise<Campaign[]> {
    const after = filter.after === undefined ? null : Number(filter.after);
    const found: Campaign[] = [];
    for (const campaign of this.#campaigns.values()) {
      if (found.length >= filter.limit) break;
      if (filter.status !== undefined && campaign.status !== filter.status) continue;
      if (after !== null && Number(campaign.id) <= after) continue;
      found.push(copyCampaign(campaign));
    }
    return found;
  }

  /** One campaign's resume, all or nothing: every check (and the hook) runs before the first write. */
  #resumeCampaign(id: string, statusMessage: string): number {
    const campaign = this.#requireCampaign(id);
    // The one way from PAUSED back to RUNNING (the table leaves it out), and only from PAUSED.
    if (campaign.status !== 'PAUSED') throw new InvalidTransitionError(campaign.status, 'RUNNING');
    this.#beforeCampaignResume?.(copyCampaign(campaign));
    const now = new Date(this.#clock());
    patch(campaign, { status: 'RUNNING', statusMessage, updatedAt: now });
    let jobsResumed = 0;
    for (const job of this.#jobs.values()) {
      // A fenced service's jobs stay paused: its breaker opened again after the resume's check.
      if (job.campaignId !== id || job.status !== 'PAUSED' || this.#fences.has(job.service)) continue;
      patch(job, { status: 'PENDING', error: null, updatedAt: now });
      jobsResumed += 1;
    }
    return jobsResumed;
  }

  /**
   * A new job of an existing campaign: PAUSED with the pause reason while its service's fence is up; taken by a
   * worker of `slots` when a claim would take it (PENDING, fence down, campaign RUNNING).
   */
  #insertJob(input: EnqueueJobInput, slots: HandoffSlots): Job {
    const fence = this.#fences.get(input.service);
    const status = input.status ?? (fence === undefined ? 'PENDING' : 'PAUSED');
    const now = new Date(this.#clock());
    const claimable = status === 'PENDING' && fence === undefined && this.#campaigns.get(input.campaignId)?.status === 'RUNNING';
    const claim = claimable ? slots.take(input.service) : null;
    const job: Job = {
      id: String(++this.#lastJobId),
      campaignId: input.campaignId,
      service: input.service,
      status,
      error: status === 'PAUSED' ? (fence?.reason ?? null) : null,
      payload: structuredClone(input.payload ?? null),
      attempts: 0,
      result: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      availableAt: now,
      createdAt: now,
      updatedAt: now,
    };
    // As claimJobs leaves a job it takes.
    if (claim)
      patch(job, {
        status: 'PROCESSING',
        leaseOwner: claim.workerId,
        leaseExpiresAt: new Date(now.getTime() + claim.leaseMs),
        attempts: 1,
      });
    this.#jobs.set(job.id, job);
    return job;
  }

  #requireCampaign(id: string): Campaign {
    const campaign = this.#campaigns.get(id);
    if (!campaign) throw new NotFoundError('Campaign', id);
    return campaign;
  }

  #campaignsWithUnfinishedJobsOn(service: string): Set<string> {
    const ids = new Set<string>();
    for (const job of this.#jobs.values()) {
      if (job.service === service && UNFINISHED_JOB_STATUSES.includes(job.status)) ids.add(job.campaignId);
    }
    return ids;
  }

  #servicesWithUnfinishedJobsOf(campaignId: string): Set<string> {
    const services = new Set<string>();
    for (const job of this.#jobs.values()) {
      if (job.campaignId === campaignId && UNFINISHED_JOB_STATUSES.includes(job.status)) services.add(job.service);
    }
    return services;
  }

  #claimable(job: Job, now: number): boolean {
    const ready = (job.status === 'PENDING' && job.availableAt.getTime() <= now) || leaseExpired(job, now);
    return ready && this.#campaigns.get(job.campaignId)?.status === 'RUNNING';
  }

  /** The job if it is PROCESSING under this worker's lease; a lease taken over by another worker is lost. */
  #heldJob(jobId: string, workerId: string): Job | null {
    const job = this.#jobs.get(jobId);
    return job?.status === 'PROCESSING' && job.leaseOwner === workerId ? job : null;
  }

  /**
   * Where a job leaving its worker waits: PENDING (with `error`), or PAUSED with the pause reason while its
   * service's fence is up, since the pause could not take it while it was PROCESSING and only PAUSED jobs resume.
   */
  #waiting(service: string, error: string | null): Pick<Job, 'status' | 'error'> {
    const fence = this.#fences.get(service);
    return fence === undefined ? { status: 'PENDING', error } : { status: 'PAUSED', error: fence.reason };
  }

  #noLease(): Pick<Job, 'leaseOwner' | 'leaseExpiresAt' | 'updatedAt'> {
    return { leaseOwner: null, leaseExpiresAt: null, updatedAt: new Date(this.#clock()) };
  }

  #notify(change: RepositoryChange): void {
    // Delivered after the enqueue has returned, as a remote store's notification would be: a listener
    // that throws must not make a stored job look as if it had failed to enqueue.
    for (const listener of this.#listeners) {
      queueMicrotask(() => {
        if (this.#listeners.has(listener)) listener(change);
      });
    }
  }
}

/** What is left of an enqueue's claims: each worker takes jobs of its service until its limit, in the order given. */
class HandoffSlots {
  readonly #left: { service: string; workerId: string; leaseMs: number; left: number }[];

  constructor(claims: EnqueueOptions['claims'] = []) {
    this.#left = claims.map((claim) => ({ service: claim.service, workerId: claim.workerId, leaseMs: claim.leaseMs, left: claim.limit }));
  }

  take(service: string): { workerId: string; leaseMs: number } | null {
    const claim = this.#left.find((candidate) => candidate.service === service && candidate.left > 0);
    if (!claim) return null;
    claim.left -= 1;
    return claim;
  }
}

/** Object.assign, but the changes are checked against the record's own type. */
function patch<T extends object>(record: T, changes: Partial<T>): void {
  Object.assign(record, changes);
}

function leaseExpired(job: Job, now: number): boolean {
  return job.status === 'PROCESSING' && job.leaseExpiresAt !== null && job.leaseExpiresAt.getTime() <= now;
}

function copyCampaign(campaign: Campaign): Campaign {
  return { ...campaign, createdAt: new Date(campaign.createdAt), updatedAt: new Date(campaign.updatedAt) };
}

function copyJob(job: Job): Job {
  return structuredClone(job);
}
