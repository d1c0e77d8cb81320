export { queueManagementRouter } from './queue-management-router.js';
export { queueManagementErrorHandler } from './host-error-handler.js';
export type { QueueManagementRouterOptions, QueueAction, MetricsRegistry } from './options.js';
export { QUEUE_ACTIONS } from './options.js';
export type { ErrorEnvelope, SuccessEnvelope } from './envelope.js';
export { toWireReport } from './wire-format.js';
export type {
  WireBackgroundTasks,
  WireBreaker,
  WireCampaign,
  WireHistoryEntry,
  WireQueue,
  WireReport,
  WireStatus,
  WireWorker,
} from './wire-format.js';
export type { ErrorLogger } from './error-response.js';
