/** Composes the stores, the breaker engine, the pause cascade and the orchestrator into one instance. */
import { EventEmitter } from 'eventemitter3';
import { BreakerEngine } from './breaker-engine.js';
import type { Breakwater } from './breakwater.js';
import type { BreakwaterEvents } from './events.js';
import { guardPort } from './guard-port.js';
import { silentLogger } from './logger.js';
import { type BreakwaterOptions, resolveOptions } from './options.js';
import { runPauseCascade } from './pause-cascade.js';
import type { CampaignRepository, CircuitBreakerStore, QueueStore, Unsubscribe } from './ports.js';
import type { ResumeReport } from './report.js';
import { BREAKER_STORE_METHODS, QUEUE_STORE_METHODS, REPOSITORY_METHODS } from './port-methods.js';
import { DEFAULT_LOCK_TTL_MS, resumeQueue } from './resume-queue.js';
import { startCampaign } from './start-campaign.js';
import { readStatus } from './status.js';
import { PauseEpochs } from './worker/pause-epochs.js';
import { createWorker } from './worker/worker.js';

/** Longer than any healthy cascade's first step takes to be seen by every process (pub/sub, near-cache). */
const CASCADE_REPAIR_AFTER_MS = 10_000;

export function createBreakwater(options: BreakwaterOptions): Breakwater {
  const resolved = resolveOptions(options);
  const { services, policy } = resolved;
  const logger = resolved.logger ?? silentLogger;
  const clock = resolved.clock ?? Date.now;
  const lockTtlMs = resolved.resumeLockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  const events = new EventEmitter<BreakwaterEvents>();
  const breakerStore = guardPort<CircuitBreakerStore>('CircuitBreakerStore', resolved.breakerStore, BREAKER_STORE_METHODS);
  const queueStore = guardPort<QueueStore>('QueueStore', resolved.queueStore, QUEUE_STORE_METHODS);
  const campaigns = guardPort<CampaignRepository>('CampaignRepository', resolved.campaigns, REPOSITORY_METHODS);
  const pauseEpochs = new PauseEpochs();

  const cascadeDeps = {
    queueStore,
    campaigns,
    pauseScope: resolved.pauseScope ?? 'all',
    events,
    logger,
    lockTtlMs,
    onPauseStarting: (service: string) => pauseEpochs.bump(service),
  } as const;
  const breakers = new BreakerEngine({
    services,
    breakerStore,
    queueStore,
    policy,
    clock,
    events,
    logger,
    onOpened: async (service, record) => {
      await runPauseCascade(cascadeDeps, service, record);
    },
    cascadeRepairAfterMs: CASCADE_REPAIR_AFTER_MS,
  });

  const resumeDeps = {
    services,
    breakerStore,
    queueStore,
    campaigns,
    events,
    logger,
    clock,
    lockTtlMs,
    batchSize: resolved.resumeBatchSize,
  };
  const unsubscribers = listenToOtherProcesses({ breakers, breakerStore, queueStore, campaigns, events, pauseEpochs, logger });

  const bw: Breakwater = {
    services,
    events,
    policy,
    breakers,
    campaigns,
    queueStore,
    breakerStore,
    resumeQueue: (resumeOptions) => resumeQueue(resumeDeps, resumeOptions),
    startCampaign: (id, statusMessage) =>
      startCampaign({ services, queueStore, campaigns, pauseScope: cascadeDeps.pauseScope }, id, statusMessage),
    status: () => readStatus({ services, breakerStore, queueStore, campaigns, clock }),
    createWorker: (workerOptions) => createWorker({ breakwater: bw, pauseEpochs, logger }, workerOptions),
    close: async () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
      events.removeAllListeners();
    },
  };
  return bw;
}

/** Re-emits what other processes did (through shared stores) as this instance's events, marked remote. */
function listenToOtherProcesses(deps: {
  breakers: BreakerEngine;
  breakerStore: CircuitBreakerStore;
  queueStore: QueueStore;
  campaigns: CampaignRepository;
  events: EventEmitter<BreakwaterEvents>;
  pauseEpochs: PauseEpochs;
  logger: Pick<typeof silentLogger, 'error'>;
}): Unsubscribe[] {
  const { breakers, events, pauseEpochs } = deps;
  const unsubscribers: Unsubscribe[] = [];
  if (deps.breakerStore.subscribe) {
    unsubscribers.push(
      deps.breakerStore.subscribe((change) => {
        // Stop this process's workers from starting jobs of a service another process just opened.
        if (change.transition === 'opened') pauseEpochs.bump(change.service);
        breakers.announce(change.service, change, true);
      }),
    );
  }
  if (deps.queueStore.subscribe) {
    unsubscribers.push(
      deps.queueStore.subscribe((change) => {
        if (change.kind === 'queue') {
          if (change.state.state === 'PAUSED') {
            pauseEpochs.bump(change.service);
            events.emit('service:paused', {
              service: change.service,
              reason: change.state.reason ?? '',
              jobsPaused: null,
              campaignsPaused: null,
              remote: true,
            });
          } else {
            events.emit('service:resumed', { service: change.service, jobsResumed: null, remote: true, resumeId: null });
          }
          return;
        }
        deps.queueStore.getLastReport().then(
          (report) => {
            if (report) events.emit('resume:completed', { report: report as ResumeReport, remote: true });
          },
          (error: unknown) => deps.logger.error({ err: error }, 'Could not read the last resume report after a remote resume'),
        );
      }),
    );
  }
  if (deps.campaigns.subscribe) {
    unsubscribers.push(deps.campaigns.subscribe((change) => events.emit('job:enqueued', { service: change.service, jobId: change.jobId })));
  }
  return unsubscribers;
}
