/** Composes the stores, the breaker engine, the pause cascade and the orchestrator into one instance. */
import { EventEmitter } from 'eventemitter3';
import { announceTransition } from './breaker-announcements.js';
import { BreakerEngine } from './breaker-engine.js';
import type { Breakwater } from './breakwater.js';
import type { BreakwaterEvents } from './events.js';
import { enqueueingOnlyKnownServices } from './enqueue-check.js';
import { InvalidOptionsError } from './errors.js';
import { guardPort } from './guard-port.js';
import { WithoutCampaigns } from './without-campaigns.js';
import { silentLogger } from './logger.js';
import { LostStateRecovery } from './lost-state-recovery.js';
import { campaignPausedMessage, servicePausedReason } from './messages.js';
import { DEFAULT_HISTORY_RETENTION_MS, HistoryRecorder } from './history/history-recorder.js';
import { readHistory } from './history/read-history.js';
import type { Logger } from './logger.js';
import { type BreakwaterOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { runPauseCascade } from './pause-cascade.js';
import { PauseReconciler } from './pause-reconciler.js';
import type { CampaignRepository, CircuitBreakerStore, HistoryStore, QueueStore, WorkerRegistry } from './ports.js';
import {
  BREAKER_STORE_FAST_PATHS,
  BREAKER_STORE_METHODS,
  HISTORY_STORE_METHODS,
  QUEUE_STORE_FAST_PATHS,
  QUEUE_STORE_METHODS,
  REPOSITORY_METHODS,
  WORKER_REGISTRY_METHODS,
} from './port-methods.js';
import { DEFAULT_LOCK_TTL_MS, resumeQueue } from './resume-queue.js';
import { startCampaign } from './start-campaign.js';
import { listenToOtherProcesses } from './remote-event-listener.js';
import { readStatus } from './status.js';
import { DEFAULT_HEARTBEAT_INTERVAL_MS, HeartbeatSender, type HeartbeatSubject } from './worker/heartbeat-sender.js';
import { lazyOpenTelemetry, openTelemetryTracing } from './tracing/open-telemetry.js';
import { withExecuteSpans } from './tracing/traced-breakers.js';
import { NO_TRACING, type Tracing } from './tracing/tracing.js';
import { PauseEpochs } from './worker/pause-epochs.js';
import { JobHandoff } from './worker/job-handoff.js';
import { createWorker } from './worker/worker.js';

/** How often every instance checks for pauses a fault left half-done: often enough to matter, one cheap query each. */
export const DEFAULT_RECONCILE_INTERVAL_MS = 5_000;

/**
 * `S`, the union of the service names, is inferred from `services` (a `const` type parameter: no `as const`
 * needed when they are written in the call); `string` when they are read at run time.
 */
export function createBreakwater<const S extends string = string>(options: BreakwaterOptions<S>): Breakwater<S> {
  const resolved = resolveOptions(options);
  const { services, policy } = resolved;
  const logger = resolved.logger ?? silentLogger;
  const clock = resolved.clock ?? Date.now;
  const lockTtlMs = resolved.resumeLockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  const events = new EventEmitter<BreakwaterEvents>();
  const pauseScope = resolved.pauseScope ?? 'all';
  // A store that holds no state is rebuilt from the durable record, and the call that found out is made again.
  const recoverLostState = (): Promise<void> => recovery.recover();
  const breakerStore = guardPort<CircuitBreakerStore>('CircuitBreakerStore', resolved.breakerStore, BREAKER_STORE_METHODS, {
    onStateLost: recoverLostState,
    fastPaths: BREAKER_STORE_FAST_PATHS,
  });
  const queueStore = guardPort<QueueStore>('QueueStore', resolved.queueStore, QUEUE_STORE_METHODS, {
    onStateLost: recoverLostState,
    fastPaths: QUEUE_STORE_FAST_PATHS,
  });
  const campaigns = enqueueingOnlyKnownServices(
    guardPort<CampaignRepository>('CampaignRepository', resolved.campaigns ?? new WithoutCampaigns(), REPOSITORY_METHODS),
    services,
  );
  const history = recordHistory(resolved, events, logger, clock);
  const workerRegistry = resolved.workers ? guardPort<WorkerRegistry>('WorkerRegistry', resolved.workers, WORKER_REGISTRY_METHODS) : null;
  const startHeartbeat = workerRegistry
    ? (subject: HeartbeatSubject) =>
        new HeartbeatSender(
          {
            registry: workerRegistry,
            intervalMs: resolved.workerHeartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
            clock,
            logger,
            events,
          },
          subject,
        )
    : undefined;
  const recovery: LostStateRecovery = new LostStateRecovery({
    services,
    breakerStore,
    queueStore,
    campaigns,
    pauseScope,
    clock,
    logger,
    events,
  });
  const pauseEpochs = new PauseEpochs();
  const tracing = tracingFor(resolved.tracing, logger);

  const cascadeDeps = {
    tracing,
    queueStore,
    campaigns,
    pauseScope,
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
      await runPauseCascade(cascadeDeps, service, {
        reason: servicePausedReason(service, record.lastFailureReason),
        campaignMessage: campaignPausedMessage(service, record.lastFailureReason),
      });
    },
  });
  const reconciler = new PauseReconciler({
    ...cascadeDeps,
    services,
    breakerStore,
    clock,
    intervalMs: resolved.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS,
    latchBreaker: async (service, reason) => {
      const result = await breakerStore.trip(service, reason, policy, clock());
      announceTransition({ events, logger }, service, result, false);
      events.emit('breaker:tripped', { service, reason, requestedBy: null, record: result.record, from: result.previousState });
      logger.warn({ service, reason }, `Circuit breaker for ${service} latched open: ${reason}`);
    },
    onCheckFailed: (error) => {
      logger.warn({ err: error }, 'Could not check for interrupted pauses; trying again at the next interval');
      events.emit('store:error', { error, during: 'reconcile', service: null });
    },
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
    stallTimeoutMs: resolved.resumeStallTimeoutMs,
    cascade: cascadeDeps,
    tracing,
  };
  // The workers' own checks before a claim, asked of the same stores before an enqueue hands a job to one of them.
  const handoff = resolved.jobHandoff === false ? null : new JobHandoff({ queueStore, breakers, logger });
  const unsubscribers = listenToOtherProcesses({ services, breakerStore, queueStore, campaigns, events, pauseEpochs, logger });

  const bw: Breakwater = {
    services,
    events,
    policy,
    breakers: typeof resolved.tracing === 'object' && resolved.tracing.execute ? withExecuteSpans(breakers, tracing) : breakers,
    campaigns: handoff ? handoff.wrap(campaigns) : campaigns,
    queueStore,
    breakerStore,
    resumeQueue: (resumeOptions) => resumeQueue(resumeDeps, resumeOptions),
    startCampaign: (id, statusMessage) => startCampaign({ services, campaigns, pauseScope }, id, statusMessage),
    status: () => readStatus({ services, breakerStore, queueStore, campaigns, clock, workers: workerRegistry }),
    history: (request) => readHistory(history, request),
    createWorker: (workerOptions) => {
      if (!resolved.campaigns) {
        throw new InvalidOptionsError('createWorker needs a campaign repository to take jobs from: pass "campaigns" to createBreakwater');
      }
      return createWorker(
        {
          services,
          campaigns,
          queueStore,
          breakers: bw.breakers,
          events,
          pauseEpochs,
          logger,
          tracing,
          ...(startHeartbeat ? { heartbeat: startHeartbeat } : {}),
          ...(handoff ? { handoff } : {}),
        },
        workerOptions,
      );
    },
    reconcile: async (reconcileOptions) => (await reconciler.reconcile(reconcileOptions)).map((pause) => pause.service),
    close: async () => {
      await reconciler.stop();
      for (const unsubscribe of unsubscribers) unsubscribe();
      // What this instance did is written before it goes (a store that does not answer gets a second).
      await history?.recorder.close();
      events.removeAllListeners();
    },
  };
  reconciler.start();
  // Typed by the names the host gave: every method checks them at run time too (for JavaScript callers and
  // names built at run time), and every record it reads back is of a configured service.
  return bw as Breakwater<S>;
}

/** Spans: none, through the host's `@opentelemetry/api` module, or through one loaded in the background. */
function tracingFor(option: ResolvedOptions['tracing'], logger: Logger): Tracing {
  if (option === false) return NO_TRACING;
  if (typeof option === 'object' && option.api) return openTelemetryTracing(option.api);
  return lazyOpenTelemetry(logger);
}

/** The history store behind the port guard, and the recorder writing this instance's events into it. */
function recordHistory(
  resolved: ResolvedOptions,
  events: EventEmitter<BreakwaterEvents>,
  logger: Logger,
  clock: () => number,
): { store: HistoryStore; recorder: HistoryRecorder } | null {
  if (!resolved.history) return null;
  const store = guardPort<HistoryStore>('HistoryStore', resolved.history, HISTORY_STORE_METHODS);
  const retentionMs = resolved.historyRetentionMs ?? DEFAULT_HISTORY_RETENTION_MS;
  const recorder = new HistoryRecorder({ store, events, logger, clock, retentionMs });
  recorder.start();
  return { store, recorder };
}
