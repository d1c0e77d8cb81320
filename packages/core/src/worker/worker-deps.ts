/**
 * What a worker uses of the Breakwater instance that made it, and nothing more: the worker depends on these
 * few methods rather than on the whole instance, so what it can touch is visible here and a test can hand it
 * just these.
 */
import type { EventEmitter } from 'eventemitter3';
import type { Breakers } from '../breakwater.js';
import type { BreakwaterEvents } from '../events.js';
import type { Logger } from '../logger.js';
import type { CampaignRepository, QueueStore } from '../ports.js';
import type { Tracing } from '../tracing/tracing.js';
import type { HeartbeatSender, HeartbeatSubject } from './heartbeat-sender.js';
import type { HandoffTaker } from './job-handoff.js';
import type { PauseEpochs } from './pause-epochs.js';

/** The repository's job moves a worker makes: claim, complete (alone or with a claim), fail or retry, put back, and prune completed jobs. */
export type WorkerJobStore = Pick<
  CampaignRepository,
  'claimJobs' | 'completeJobs' | 'completeAndClaimJobs' | 'failJob' | 'repauseJob' | 'releaseJob' | 'pruneCompletedJobs'
>;

export interface WorkerDeps {
  /** The configured services: a worker runs one of them. */
  services: readonly string[];
  campaigns: WorkerJobStore;
  /** A claim waits for the service's queue to be ACTIVE… */
  queueStore: Pick<QueueStore, 'getStates'>;
  /** …and its breaker closed (`get`); the handler runs through the breaker (`execute`). */
  breakers: Pick<Breakers, 'get' | 'execute'>;
  /** Where the signals of new work come from: a resume, an enqueue, a closed or reset breaker. */
  events: Pick<EventEmitter<BreakwaterEvents>, 'on' | 'off'>;
  pauseEpochs: PauseEpochs;
  logger: Logger;
  /** Heartbeats to the shared worker registry, when there is one. */
  heartbeat?: (subject: HeartbeatSubject) => HeartbeatSender;
  /** Where a started worker offers its free slots to this process's enqueues (job-handoff.ts); absent when turned off. */
  handoff?: { register(taker: HandoffTaker): () => void };
  /** A span per job the handler runs (`breakwater.job`). */
  tracing?: Tracing;
}
