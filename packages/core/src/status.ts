/** One snapshot for dashboards: breakers, queues, counts, and whether a resume could run now. */
import type { SystemStatus } from './breakwater.js';
import type { CampaignRepository, CircuitBreakerStore, QueueStore } from './ports.js';
import { blockedServices } from './prerequisites.js';
import type { ResumeReport } from './report.js';

export interface StatusDeps {
  services: readonly string[];
  breakerStore: CircuitBreakerStore;
  queueStore: QueueStore;
  campaigns: CampaignRepository;
  clock: () => number;
}

export async function readStatus(deps: StatusDeps): Promise<SystemStatus> {
  const [breakers, queues, campaigns, jobs, unrecognizedStatuses, resumeInProgress, lastReport] = await Promise.all([
    deps.breakerStore.list(deps.services, deps.clock()),
    deps.queueStore.getStates(deps.services),
    deps.campaigns.countCampaignsByStatus(),
    deps.campaigns.countJobsByStatus(),
    deps.campaigns.countUnrecognizedStatuses?.() ?? [],
    deps.queueStore.isResumeLocked(),
    deps.queueStore.getLastReport(),
  ]);
  const blockedBy = blockedServices(breakers);
  return {
    breakers,
    queues,
    campaigns,
    jobs,
    unrecognizedStatuses,
    canResume: blockedBy.length === 0 && !resumeInProgress,
    blockedBy,
    resumeInProgress,
    lastReport: (lastReport as ResumeReport | null | undefined) ?? null,
  };
}
