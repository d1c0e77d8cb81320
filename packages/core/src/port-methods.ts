/**
 * Every required method of each port, in one place: options validation checks an adapter has
 * them, and guardPort wraps each so driver failures come out as StoreError.
 */
import type { CampaignRepository, CircuitBreakerStore, QueueStore } from './ports.js';

type Methods<T> = readonly Exclude<keyof T & string, 'subscribe' | 'peek' | 'peekState'>[];

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
] as const satisfies Methods<CampaignRepository>;

/** Optional synchronous methods answering from what an adapter knows locally: the hot path of `execute`. */
export const BREAKER_STORE_FAST_PATHS = ['peek'] as const satisfies readonly (keyof CircuitBreakerStore)[];
export const QUEUE_STORE_FAST_PATHS = ['peekState'] as const satisfies readonly (keyof QueueStore)[];
