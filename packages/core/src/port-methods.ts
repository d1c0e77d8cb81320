/**
 * Every required method of each port, in one place: options validation checks an adapter has
 * them, and guardPort wraps each so driver failures come out as StoreError.
 */
import type { CampaignRepository, CircuitBreakerStore, HistoryStore, QueueStore, WorkerRegistry } from './ports.js';

type Methods<T> = readonly Exclude<keyof T & string, 'subscribe'>[];

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
  'failJob',
  'repauseJob',
  'releaseJob',
  'releaseExpiredLeases',
  // Starting and listing campaigns.
  'startCampaign',
  'listCampaigns',
] as const satisfies Methods<CampaignRepository>;

export const HISTORY_STORE_METHODS = ['append', 'list', 'prune'] as const satisfies Methods<HistoryStore>;

export const WORKER_REGISTRY_METHODS = ['beat', 'list', 'remove'] as const satisfies Methods<WorkerRegistry>;
