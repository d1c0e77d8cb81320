/**
 * Every required method of each port, in one place: options validation checks an adapter has
 * them, and guardPort wraps each so driver failures come out as StoreError.
 */
import type { CampaignRepository, CircuitBreakerStore, QueueStore } from './ports.js';

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
  'pruneCompletedJobs',
  'failJob',
  'repauseJob',
  'releaseJob',
  'releaseExpiredLeases',
] as const satisfies Methods<CampaignRepository>;
