/**
 * Every method of each port, in one place: options validation checks an adapter has the required
 * ones, and guardPort wraps each (optional ones when present) so driver failures come out as StoreError.
 */
import type { CampaignRepository, CircuitBreakerStore, HistoryStore, QueueStore, WorkerRegistry } from './ports.js';

type Methods<T> = readonly Exclude<keyof T & string, 'subscribe' | 'localView'>[];

export const BREAKER_STORE_METHODS = [
  'initialize',
  'get',
  'list',
  'recordFailure',
  'recordSuccess',
  'acquirePermit',
  'trip',
  'reset',
] as const satisfies Methods<CircuitBreakerStore>;

export const QUEUE_STORE_METHODS = [
  'initialize',
  'getStates',
  'pause',
  'resume',
  'acquireResumeLock',
  'renewResumeLock',
  'releaseResumeLock',
  'isResumeLocked',
  'saveLastReport',
  'getLastReport',
] as const satisfies Methods<QueueStore>;

export const REPOSITORY_METHODS = [
  'createCampaign',
  'transitionCampaign',
  'getCampaign',
  'countCampaignsByStatus',
  'enqueueJob',
  'enqueueJobs',
  'getJob',
  'listJobs',
  'countJobsByStatus',
  'pauseJobsForService',
  'pauseRunningCampaigns',
  'readPauseState',
  'resumeJobsForService',
  'listPausedCampaignIds',
  'resumeCampaigns',
  'claimJobs',
  'completeJob',
  'completeJobs',
  'completeAndClaimJobs',
  'pruneCompletedJobs',
  'failJob',
  'repauseJob',
  'releaseJob',
  'releaseExpiredLeases',
  'countUnrecognizedStatuses',
  // Starting and listing campaigns.
  'startCampaign',
  'listCampaigns',
] as const satisfies Methods<CampaignRepository>;

const OPTIONAL_REPOSITORY_METHODS: ReadonlySet<string> = new Set(['countUnrecognizedStatuses'] satisfies Methods<CampaignRepository>);

/** What an adapter must have to be a CampaignRepository. */
export const REQUIRED_REPOSITORY_METHODS = REPOSITORY_METHODS.filter((method) => !OPTIONAL_REPOSITORY_METHODS.has(method));

export const HISTORY_STORE_METHODS = ['append', 'list', 'prune'] as const satisfies Methods<HistoryStore>;

export const WORKER_REGISTRY_METHODS = ['beat', 'list', 'remove'] as const satisfies Methods<WorkerRegistry>;

/** Optional synchronous methods answering from what an adapter knows locally: the hot path of `execute`. */
export const BREAKER_STORE_FAST_PATHS = ['localView'] as const satisfies readonly (keyof CircuitBreakerStore)[];
export const QUEUE_STORE_FAST_PATHS = ['localView'] as const satisfies readonly (keyof QueueStore)[];
