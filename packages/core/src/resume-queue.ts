/**
 * The manual, coordinated queue resume: the only way campaigns resume after a breaker event.
 * Each numbered step is one of docs/manual-resume.md's.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'eventemitter3';
import type { ResumeOptions } from './breakwater.js';
import { PrerequisitesNotMetError, ResumeInProgressError } from './errors.js';
import type { BreakwaterEvents } from './events.js';
import { type Logger, silentLogger } from './logger.js';
import {
  CAMPAIGN_RESUMED_MESSAGE,
  LOG_PREREQUISITES_MET,
  LOG_RESUME_REQUESTED,
  campaignJobsResumedLog,
  campaignPausedMessage,
  campaignResumeError,
  campaignResumeErrorLog,
  campaignResumedLog,
  prerequisitesNotMetMessage,
  resumeCompletedLog,
  servicePausedReason,
  serviceResumedLog,
} from './messages.js';
import { type PauseCascadeDeps, announcePause, inCascadeSpan, pauseServiceOnce } from './pause-cascade.js';
import type { CampaignRepository, CircuitBreakerStore, QueueStore } from './ports.js';
import { blockedServices } from './prerequisites.js';
import { type ResumeReport, buildReport } from './report.js';
import { keepLock } from './resume-lock.js';
import { withStallLimit } from './stall-limit.js';
import { NO_TRACING, type Tracing } from './tracing/tracing.js';

export interface ResumeQueueDeps {
  services: readonly string[];
  breakerStore: CircuitBreakerStore;
  queueStore: QueueStore;
  campaigns: CampaignRepository;
  events?: EventEmitter<BreakwaterEvents>;
  logger?: Logger;
  clock?: () => number;
  /** Default 30000; renewed every third of it while the resume runs. */
  lockTtlMs?: number;
  /** Campaigns per repository call. Default 1000. */
  batchSize?: number;
  /**
   * Longest the resume waits on any one store call; past it the resume fails with `ResumeStalledError` and
   * releases the lock, so a store that stopped answering cannot hold every other resume off. Default 60000.
   */
  stallTimeoutMs?: number;
  /** Pauses a service again when its breaker opened while the resume ran (see `repauseOpenedDuringResume`). */
  cascade?: Pick<PauseCascadeDeps, 'pauseScope' | 'onPauseStarting'>;
  /** A span for the resume and one for each of its steps. */
  tracing?: Tracing;
}

export const DEFAULT_LOCK_TTL_MS = 30_000;
export const DEFAULT_RESUME_STALL_TIMEOUT_MS = 60_000;
const DEFAULT_BATCH_SIZE = 1000;

export async function resumeQueue(deps: ResumeQueueDeps, options: ResumeOptions = {}): Promise<ResumeReport> {
  const stallMs = deps.stallTimeoutMs ?? DEFAULT_RESUME_STALL_TIMEOUT_MS;
  const bounded: ResumeQueueDeps = {
    ...deps,
    breakerStore: withStallLimit('CircuitBreakerStore', deps.breakerStore, stallMs),
    queueStore: withStallLimit('QueueStore', deps.queueStore, stallMs),
    campaigns: withStallLimit('CampaignRepository', deps.campaigns, stallMs),
  };
  const run = new ResumeRun(bounded, options);
  const tracing = deps.tracing ?? NO_TRACING;
  const attributes = () => ({
    'breakwater.resume_id': run.resumeId,
    'breakwater.requested_by': run.requestedBy,
    'breakwater.dry_run': run.dryRun,
  });
  return tracing.inSpan('breakwater.resume_queue', attributes, async (span) => {
    const report = run.dryRun ? await run.preview() : await run.resume();
    span.setAttributes({
      'breakwater.jobs_resumed': report.jobsResumed,
      'breakwater.campaign_jobs_resumed': report.campaignJobsResumed,
      'breakwater.campaigns_eligible': report.campaignsEligible,
      'breakwater.campaigns_resumed': report.campaignsResumed,
      'breakwater.campaign_errors': report.campaignResumeErrors.length,
    });
    return report;
  });
}

class ResumeRun {
  readonly resumeId = randomUUID();
  readonly requestedBy: string | null;
  readonly dryRun: boolean;
  private readonly logger: Logger;
  private readonly events: EventEmitter<BreakwaterEvents>;
  private readonly clock: () => number;
  private readonly startedAt: Date;

  constructor(
    private readonly deps: ResumeQueueDeps,
    options: ResumeOptions,
  ) {
    this.requestedBy = options.requestedBy ?? null;
    this.dryRun = options.dryRun ?? false;
    this.logger = deps.logger ?? silentLogger;
    this.events = deps.events ?? new EventEmitter<BreakwaterEvents>();
    this.clock = deps.clock ?? Date.now;
    this.startedAt = new Date(this.clock());
  }

  async resume(): Promise<ResumeReport> {
    const { queueStore } = this.deps;
    const ttlMs = this.deps.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
    // Step 1: one resume at a time, across every process sharing the queue store.
    const token = await queueStore.acquireResumeLock(ttlMs);
    if (!token) throw new ResumeInProgressError();
    const release = keepLock(queueStore, token, ttlMs, this.logger);
    try {
      this.announceRequest(false);
      await this.step('check_prerequisites', () => this.checkPrerequisites());
      const jobsResumed = await this.step('resume_services', () => this.resumeServiceQueues());
      const campaigns = await this.step('resume_campaigns', () => this.resumePausedCampaigns());
      await this.step('repause_opened', () => this.repauseOpenedDuringResume());
      const report = this.report({ ...campaigns, jobsResumed, dryRun: false });
      // Step 7.
      if (report.campaignJobsResumed > 0) {
        this.logger.info(
          { resumeId: this.resumeId, campaignJobsResumed: report.campaignJobsResumed },
          campaignJobsResumedLog(report.campaignJobsResumed),
        );
      }
      this.logger.info({ resumeId: this.resumeId, ...countsOf(report) }, resumeCompletedLog(report.jobsResumed, report.campaignsResumed));
      // Everything above has happened: failing to keep the report must not turn this resume into an error.
      await queueStore
        .saveLastReport(report)
        .catch((error: unknown) => this.logger.error({ err: error, resumeId: this.resumeId }, 'Could not save the resume report'));
      this.events.emit('resume:completed', { report, remote: false });
      return report;
    } catch (error) {
      if (!(error instanceof PrerequisitesNotMetError)) {
        this.logger.error({ err: error, resumeId: this.resumeId }, 'Manual queue resume failed');
        const message = error instanceof Error ? error.message : String(error);
        this.events.emit('resume:failed', { resumeId: this.resumeId, requestedBy: this.requestedBy, error: message });
      }
      throw error;
    } finally {
      await release();
    }
  }

  /** The dry run: the same prerequisite check, then counts of what a resume would touch now. No lock, no writes. */
  async preview(): Promise<ResumeReport> {
    const { services, campaigns } = this.deps;
    this.announceRequest(true);
    await this.step('check_prerequisites', () => this.checkPrerequisites());
    const [campaignCounts, ...jobCounts] = await Promise.all([
      campaigns.countCampaignsByStatus(),
      ...services.map((service) => campaigns.countJobsByStatus({ service })),
    ]);
    const jobsResumed = jobCounts.reduce((sum, counts) => sum + counts.PAUSED, 0);
    return this.report({
      jobsResumed,
      campaignJobsResumed: 0,
      campaignsEligible: campaignCounts.PAUSED,
      campaignsResumed: campaignCounts.PAUSED,
      errors: [],
      dryRun: true,
    });
  }

  /** One step of the resume, in a span of its own (`breakwater.resume_queue.<name>`). */
  private step<T>(name: string, run: () => Promise<T>): Promise<T> {
    return (this.deps.tracing ?? NO_TRACING).inSpan(
      `breakwater.resume_queue.${name}`,
      () => ({ 'breakwater.resume_id': this.resumeId }),
      run,
    );
  }

  private announceRequest(dryRun: boolean): void {
    // Step 2.
    this.logger.info({ resumeId: this.resumeId, requestedBy: this.requestedBy, dryRun }, LOG_RESUME_REQUESTED);
    this.events.emit('resume:requested', { resumeId: this.resumeId, requestedBy: this.requestedBy, dryRun });
  }

  /** Step 3 (throws and changes nothing when blocked), then step 4's log line. */
  private async checkPrerequisites(): Promise<void> {
    const { breakerStore, services } = this.deps;
    const blocked = blockedServices(await breakerStore.list(services, this.clock()));
    if (blocked.length > 0) {
      const message = prerequisitesNotMetMessage(blocked);
      this.logger.warn({ resumeId: this.resumeId, blocked }, message);
      this.events.emit('resume:blocked', { resumeId: this.resumeId, requestedBy: this.requestedBy, blocked, message, dryRun: this.dryRun });
      throw new PrerequisitesNotMetError(message, blocked);
    }
    this.logger.info({ resumeId: this.resumeId }, LOG_PREREQUISITES_MET);
  }

  /**
   * Step 5: per service, queue → ACTIVE and its paused jobs → PENDING. Jobs whose worker died while the service
   * was paused (their lease expired) are put back first: behind the raised fence they wait PAUSED, so they resume
   * and are counted with the others instead of staying PROCESSING until a claim finds them.
   */
  private async resumeServiceQueues(): Promise<number> {
    const { services, queueStore, campaigns } = this.deps;
    let total = 0;
    for (const service of services) {
      const attributes = () => ({ 'breakwater.resume_id': this.resumeId, 'breakwater.service': service });
      const jobsResumed = await (this.deps.tracing ?? NO_TRACING).inSpan(
        'breakwater.resume_queue.resume_service',
        attributes,
        async (span) => {
          await campaigns.releaseExpiredLeases({ service });
          await queueStore.resume(service);
          const resumed = await campaigns.resumeJobsForService(service);
          span.setAttributes({ 'breakwater.jobs_resumed': resumed });
          return resumed;
        },
      );
      total += jobsResumed;
      this.logger.info({ resumeId: this.resumeId, service, jobsResumed }, serviceResumedLog(service, jobsResumed));
      this.events.emit('service:resumed', { service, jobsResumed, remote: false, resumeId: this.resumeId });
    }
    return total;
  }

  /**
   * Step 6: every PAUSED campaign, a page at a time (memory stays bounded), each with the
   * outcome of its own transaction; a failure is recorded and never blocks the others.
   */
  private async resumePausedCampaigns(): Promise<{
    campaignsEligible: number;
    campaignsResumed: number;
    campaignJobsResumed: number;
    errors: string[];
  }> {
    const { campaigns } = this.deps;
    const limit = this.deps.batchSize ?? DEFAULT_BATCH_SIZE;
    const errors: string[] = [];
    let campaignsEligible = 0;
    let campaignsResumed = 0;
    let campaignJobsResumed = 0;
    let after: string | undefined;
    for (;;) {
      const ids = await campaigns.listPausedCampaignIds(after === undefined ? { limit } : { after, limit });
      if (ids.length === 0) break;
      campaignsEligible += ids.length;
      after = ids[ids.length - 1];
      for (const outcome of await campaigns.resumeCampaigns(ids, CAMPAIGN_RESUMED_MESSAGE)) {
        if (outcome.ok) {
          campaignsResumed += 1;
          campaignJobsResumed += outcome.jobsResumed;
          this.logger.info({ resumeId: this.resumeId, campaignId: outcome.id }, campaignResumedLog(outcome.id));
          this.events.emit('campaign:resumed', { resumeId: this.resumeId, campaignId: outcome.id });
        } else {
          errors.push(campaignResumeError(outcome.id, outcome.error));
          this.logger.error({ resumeId: this.resumeId, campaignId: outcome.id }, campaignResumeErrorLog(outcome.id, outcome.error));
          this.events.emit('campaign:resume-failed', { resumeId: this.resumeId, campaignId: outcome.id, error: outcome.error });
        }
      }
      if (ids.length < limit) break;
    }
    return { campaignsEligible, campaignsResumed, campaignJobsResumed, errors };
  }

  /**
   * A trip that raced this resume may have been undone by step 5 (it pauses at once, then again once the
   * resume has finished). Still holding the lock, pause such a service again now, so when the resume
   * returns nothing of a service whose breaker is open is left to run.
   */
  private async repauseOpenedDuringResume(): Promise<void> {
    const { cascade, breakerStore, services } = this.deps;
    if (!cascade) return;
    for (const record of await breakerStore.list(services, this.clock())) {
      if (record.state === 'closed') continue;
      const { service } = record;
      const reasons = {
        reason: servicePausedReason(service, record.lastFailureReason),
        campaignMessage: campaignPausedMessage(service, record.lastFailureReason),
      };
      this.logger.warn(
        { resumeId: this.resumeId, service },
        `Circuit breaker for ${service} opened during the resume: ${service} paused again`,
      );
      cascade.onPauseStarting(service);
      const deps = {
        ...this.deps,
        ...cascade,
        events: this.events,
        logger: this.logger,
        lockTtlMs: this.deps.lockTtlMs ?? DEFAULT_LOCK_TTL_MS,
      };
      await inCascadeSpan(deps, service, reasons, 'resume', async () => {
        const result = await pauseServiceOnce(deps, service, reasons);
        announcePause(deps, service, reasons.reason, result, 'resume');
        return result;
      });
    }
  }

  private report(input: {
    jobsResumed: number;
    campaignJobsResumed: number;
    campaignsEligible: number;
    campaignsResumed: number;
    errors: readonly string[];
    dryRun: boolean;
  }): ResumeReport {
    return buildReport({
      resumeId: this.resumeId,
      requestedBy: this.requestedBy,
      startedAt: this.startedAt,
      finishedAt: new Date(this.clock()),
      dryRun: input.dryRun,
      services: this.deps.services,
      jobsResumed: input.jobsResumed,
      campaignJobsResumed: input.campaignJobsResumed,
      campaignsEligible: input.campaignsEligible,
      campaignsResumed: input.campaignsResumed,
      campaignResumeErrors: input.errors,
    });
  }
}

function countsOf(report: ResumeReport) {
  return { jobsResumed: report.jobsResumed, campaignsResumed: report.campaignsResumed, campaignErrors: report.campaignResumeErrors.length };
}
