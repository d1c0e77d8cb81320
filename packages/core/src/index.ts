export { createBreakwater } from './create-breakwater.js';
export { rejectUnknownOptions } from './known-options.js';
export type { BreakwaterOptions } from './options.js';
export type {
  Breakwater,
  BreakwaterCampaigns,
  BreakerActionOptions,
  Breakers,
  AllowDecision,
  AllowReason,
  ExecuteOptions,
  ResumeOptions,
  SystemStatus,
} from './breakwater.js';
export { resumeQueue } from './resume-queue.js';
export type { ResumeQueueDeps } from './resume-queue.js';
export { buildReport } from './report.js';
export type { ResumeReport } from './report.js';
export { parseResumeReport, parseStoredResumeReport } from './parse-resume-report.js';
export * from './domain.js';
export * from './errors.js';
export * from './messages.js';
export type * from './ports.js';
export type { BreakerPolicy, FailureRatePolicy } from './policy.js';
export { DEFAULT_POLICY } from './policy.js';
export {
  applyFailure,
  applyPermit,
  applyReset,
  applyRestore,
  applySuccess,
  applyTrip,
  closedRecord,
  successIsNoop,
} from './breaker-transitions.js';
export type { BreakerTransition, FailureInput, PermitResult, TransitionResult } from './breaker-transitions.js';
export { CAMPAIGN_TRANSITIONS, assertTransition, canTransition, transitionRefusal } from './campaign-transitions.js';
export type { BreakwaterEvents, BreakwaterEventName, BreakerEvent, PauseSource, WorkerEvents } from './events.js';
export { BREAKWATER_EVENT_NAMES } from './events.js';
export type { BreakwaterEmitter } from './breakwater-emitter.js';
export type { Logger, LogFn } from './logger.js';
export { silentLogger } from './logger.js';
export { defaultClassifyError } from './breaker-engine.js';
export type { Worker, WorkerOptions, JobContext } from './worker/worker-types.js';
export type { CompletedJobLimits } from './worker/completed-job-pruning.js';
export { InMemoryCircuitBreakerStore } from './memory/in-memory-circuit-breaker-store.js';
export { InMemoryQueueStore } from './memory/in-memory-queue-store.js';
export type { InMemoryQueueStoreOptions } from './memory/in-memory-queue-store.js';
export { InMemoryCampaignRepository } from './memory/in-memory-campaign-repository.js';
export { InMemoryHistoryStore } from './memory/in-memory-history-store.js';
export type { InMemoryHistoryStoreOptions } from './memory/in-memory-history-store.js';
export { InMemoryWorkerRegistry } from './memory/in-memory-worker-registry.js';
export type { InMemoryWorkerRegistryOptions } from './memory/in-memory-worker-registry.js';
export { HISTORY_KINDS } from './history/history-entry.js';
export type {
  HistoryDetails,
  HistoryEntry,
  HistoryKind,
  HistoryPage,
  HistoryQuery,
  HistoryValue,
  NewHistoryEntry,
} from './history/history-entry.js';
export { byServiceThenWorker } from './worker/heartbeat-order.js';
export { backgroundTasksOf, summarizeBackgroundTasks } from './background-tasks.js';
export type { BackgroundTasksState, BackgroundTasksSummary, ServiceBackgroundTasks } from './background-tasks.js';
export type { HistoryRequest } from './history/read-history.js';
export { DEFAULT_HISTORY_PAGE, MAX_HISTORY_PAGE } from './history/read-history.js';
export type { OpenTelemetryApi } from './tracing/open-telemetry.js';
export type { InMemoryCampaignRepositoryOptions } from './memory/in-memory-campaign-repository.js';
