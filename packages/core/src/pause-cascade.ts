/**
 * The pause cascade, run on every transition into `open` (docs/architecture.md, "Pause cascade"):
 * 1. the service's queue → PAUSED; 2. its PENDING jobs → PAUSED (and the claim fence up);
 * 3. RUNNING campaigns → PAUSED. In-flight jobs are re-paused by their workers (step 4).
 */
import type { EventEmitter } from 'eventemitter3';
import type { BreakerRecord } from './domain.js';
import type { BreakwaterEvents } from './events.js';
import type { Logger } from './logger.js';
import { campaignPausedMessage, servicePausedReason } from './messages.js';
import type { CampaignRepository, QueueStore } from './ports.js';
import { keepLock, waitForLock } from './resume-lock.js';

export interface PauseCascadeDeps {
  queueStore: QueueStore;
  campaigns: CampaignRepository;
  pauseScope: 'all' | 'affected';
  events: EventEmitter<BreakwaterEvents>;
  logger: Logger;
  lockTtlMs: number;
  /** Called before anything is paused, so this process's workers stop starting jobs of the service at once. */
  onPauseStarting: (service: string) => void;
}

export interface PauseResult {
  jobsPaused: number;
  campaignsPaused: number;
}

const NOTHING_PAUSED: PauseResult = { jobsPaused: 0, campaignsPaused: 0 };

export async function runPauseCascade(deps: PauseCascadeDeps, service: string, record: BreakerRecord): Promise<PauseResult> {
  const { queueStore, campaigns, logger, events } = deps;
  const reason = servicePausedReason(service, record.lastFailureReason);
  const campaignMessage = campaignPausedMessage(service, record.lastFailureReason);
  deps.onPauseStarting(service);

  const pauseOnce = async (): Promise<PauseResult> => {
    await queueStore.pause(service, reason);
    const jobsPaused = await campaigns.pauseJobsForService(service, reason);
    const campaignsPaused = await campaigns.pauseRunningCampaigns({
      reason: campaignMessage,
      ...(deps.pauseScope === 'affected' ? { service } : {}),
    });
    return { jobsPaused, campaignsPaused };
  };

  // Holding the resume lock keeps a resume from interleaving with the cascade. When a resume
  // already holds it, that resume may have checked the breakers before this trip: pause now
  // (so nothing new starts), then again once it has finished, so nothing it resumed stays running.
  const token = await queueStore.acquireResumeLock(deps.lockTtlMs);
  const early = token ? NOTHING_PAUSED : await pauseOnce();
  const release = keepLock(queueStore, token ?? (await waitForLock(queueStore, deps.lockTtlMs)), deps.lockTtlMs, logger);
  let result: PauseResult;
  try {
    const late = await pauseOnce();
    result = { jobsPaused: early.jobsPaused + late.jobsPaused, campaignsPaused: early.campaignsPaused + late.campaignsPaused };
  } finally {
    await release();
  }

  logger.warn(
    { service, reason, ...result },
    `Pause cascade: ${service} queue paused, ${result.jobsPaused} jobs and ${result.campaignsPaused} campaigns paused`,
  );
  events.emit('service:paused', { service, reason, ...result, remote: false });
  return result;
}
