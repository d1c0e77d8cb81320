/**
 * The pause cascade, run on every transition into `open` (docs/architecture.md, "Pause cascade"):
 * 1. the service's queue → PAUSED; 2. its PENDING jobs → PAUSED (and the claim fence up);
 * 3. RUNNING campaigns → PAUSED. In-flight jobs are re-paused by their workers (step 4).
 * Every step is idempotent, so a cascade that was interrupted is completed by running it again
 * (the reconciler does, in every instance).
 */
import type { EventEmitter } from 'eventemitter3';
import type { BreakwaterEvents, PauseSource } from './events.js';
import type { Logger } from './logger.js';
import type { CampaignRepository, QueueStore } from './ports.js';
import { keepLock, waitForLock } from './resume-lock.js';
import { NO_TRACING, type Tracing } from './tracing/tracing.js';

export interface PauseCascadeDeps {
  queueStore: QueueStore;
  campaigns: CampaignRepository;
  pauseScope: 'all' | 'affected';
  events: EventEmitter<BreakwaterEvents>;
  logger: Logger;
  lockTtlMs: number;
  /** Called before anything is paused, so this process's workers stop starting jobs of the service at once. */
  onPauseStarting: (service: string) => void;
  /** A span per cascade (`breakwater.pause_cascade`). */
  tracing?: Tracing;
}

/** What the queue and the jobs are paused with, and what the paused campaigns say. */
export interface PauseReasons {
  reason: string;
  campaignMessage: string;
}

export interface PauseResult {
  jobsPaused: number;
  campaignsPaused: number;
}

const NOTHING_PAUSED: PauseResult = { jobsPaused: 0, campaignsPaused: 0 };

/** Steps 1–3 once, in order, without the lock: the caller holds it, or must pause before it can take it. */
export async function pauseServiceOnce(deps: PauseCascadeDeps, service: string, reasons: PauseReasons): Promise<PauseResult> {
  const { queueStore, campaigns } = deps;
  await queueStore.pause(service, reasons.reason);
  const jobsPaused = await campaigns.pauseJobsForService(service, reasons.reason);
  const campaignsPaused = await campaigns.pauseRunningCampaigns({
    reason: reasons.campaignMessage,
    ...(deps.pauseScope === 'affected' ? { service } : {}),
  });
  return { jobsPaused, campaignsPaused };
}

export function runPauseCascade(deps: PauseCascadeDeps, service: string, reasons: PauseReasons): Promise<PauseResult> {
  return inCascadeSpan(deps, service, reasons, 'cascade', () => pauseUnderLock(deps, service, reasons));
}

/** The cascade's span, with what it paused: the trip's own cascade, or one the reconciler completed. */
export function inCascadeSpan(
  deps: Pick<PauseCascadeDeps, 'tracing'>,
  service: string,
  reasons: PauseReasons,
  source: PauseSource,
  run: () => Promise<PauseResult>,
): Promise<PauseResult> {
  const attributes = () => ({
    'breakwater.service': service,
    'breakwater.pause.reason': reasons.reason,
    'breakwater.pause.source': source,
  });
  return (deps.tracing ?? NO_TRACING).inSpan('breakwater.pause_cascade', attributes, async (span) => {
    const result = await run();
    span.setAttributes({ 'breakwater.jobs_paused': result.jobsPaused, 'breakwater.campaigns_paused': result.campaignsPaused });
    return result;
  });
}

async function pauseUnderLock(deps: PauseCascadeDeps, service: string, reasons: PauseReasons): Promise<PauseResult> {
  const { queueStore, logger } = deps;
  deps.onPauseStarting(service);

  // Holding the resume lock keeps a resume from interleaving with the cascade. When a resume
  // already holds it, that resume may have checked the breakers before this trip: pause now
  // (so nothing new starts), then again once it has finished, so nothing it resumed stays running.
  const token = await queueStore.acquireResumeLock(deps.lockTtlMs);
  const early = token ? NOTHING_PAUSED : await pauseServiceOnce(deps, service, reasons);
  const release = keepLock(queueStore, token ?? (await waitForLock(queueStore, deps.lockTtlMs)), deps.lockTtlMs, logger);
  let late: PauseResult;
  try {
    late = await pauseServiceOnce(deps, service, reasons);
  } finally {
    await release();
  }
  const result = { jobsPaused: early.jobsPaused + late.jobsPaused, campaignsPaused: early.campaignsPaused + late.campaignsPaused };
  announcePause(deps, service, reasons.reason, result, 'cascade');
  return result;
}

/** The cascade's log line and event, also for one the reconciler completed or a resume ran again (`source`). */
export function announcePause(
  deps: Pick<PauseCascadeDeps, 'logger' | 'events'>,
  service: string,
  reason: string,
  result: PauseResult,
  source: PauseSource,
): void {
  deps.logger.warn(
    { service, reason, source, ...result },
    `Pause cascade: ${service} queue paused, ${result.jobsPaused} jobs and ${result.campaignsPaused} campaigns paused`,
  );
  deps.events.emit('service:paused', { service, reason, ...result, remote: false, source });
}
