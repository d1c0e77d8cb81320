/** One snapshot for dashboards: breakers, queues, counts, whether a resume could run now, and the live workers. */
import { backgroundTasksOf } from './background-tasks.js';
import type { SystemStatus } from './breakwater.js';
import type { CampaignRepository, CircuitBreakerStore, QueueStore, WorkerRegistry } from './ports.js';
import { blockedServices } from './prerequisites.js';

export interface StatusDeps {
  services: readonly string[];
  breakerStore: CircuitBreakerStore;
  queueStore: QueueStore;
  campaigns: CampaignRepository;
  clock: () => number;
  /** Without one, the status reports no workers (null), rather than guess. */
  workers: WorkerRegistry | null;
}

export async function readStatus(deps: StatusDeps): Promise<SystemStatus> {
  const [breakers, queues, campaigns, jobs, unrecognizedStatuses, resumeInProgress, lastReport, workers] = await Promise.all([
    deps.breakerStore.list(deps.services, deps.clock()),
    deps.queueStore.getStates(deps.services),
    deps.campaigns.countCampaignsByStatus(),
    deps.campaigns.countJobsByStatus(),
    deps.campaigns.countUnrecognizedStatuses?.() ?? [],
    deps.queueStore.isResumeLocked(),
    deps.queueStore.getLastReport(),
    deps.workers ? deps.workers.list() : null,
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
    lastReport,
    workers,
    backgroundTasks: workers ? backgroundTasksOf(deps.services, breakers, queues, workers) : null,
  };
}
