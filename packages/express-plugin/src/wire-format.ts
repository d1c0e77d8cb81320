/**
 * The HTTP form of core's records: snake_case keys (docs/manual-resume.md), times as ISO-8601 strings
 * (core keeps ms since the epoch). Reports use core's own `toWireReport`.
 */
import { type BreakerRecord, type QueueState, type SystemStatus, type WireReport, toWireReport } from '@breakwater/core';

export interface WireBreaker {
  service: string;
  state: BreakerRecord['state'];
  failure_count: number;
  success_count: number;
  opened_at: string | null;
  next_attempt_at: string | null;
  last_failure_reason: string | null;
  trip_count: number;
  latched: boolean;
  probes_in_flight: number;
  updated_at: string;
}

export interface WireQueue {
  service: string;
  state: QueueState['state'];
  reason: string | null;
  updated_at: string | null;
}

export interface WireStatus {
  breakers: WireBreaker[];
  queues: WireQueue[];
  campaigns: SystemStatus['campaigns'];
  jobs: SystemStatus['jobs'];
  /** Rows left out of the counts because their status is none of Breakwater's: `{ entity, status, count }`. */
  unrecognized_statuses: SystemStatus['unrecognizedStatuses'];
  can_resume: boolean;
  blocked_by: SystemStatus['blockedBy'];
  resume_in_progress: boolean;
  last_report: WireReport | null;
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function toWireBreaker(record: BreakerRecord): WireBreaker {
  return {
    service: record.service,
    state: record.state,
    failure_count: record.failureCount,
    success_count: record.successCount,
    opened_at: isoOrNull(record.openedAt),
    next_attempt_at: isoOrNull(record.nextAttemptAt),
    last_failure_reason: record.lastFailureReason,
    trip_count: record.tripCount,
    latched: record.latched,
    probes_in_flight: record.probesInFlight,
    updated_at: new Date(record.updatedAt).toISOString(),
  };
}

export function toWireQueue(queue: QueueState): WireQueue {
  return { service: queue.service, state: queue.state, reason: queue.reason, updated_at: isoOrNull(queue.updatedAt) };
}

export function toWireStatus(status: SystemStatus): WireStatus {
  return {
    breakers: status.breakers.map(toWireBreaker),
    queues: status.queues.map(toWireQueue),
    campaigns: { ...status.campaigns },
    jobs: { ...status.jobs },
    unrecognized_statuses: status.unrecognizedStatuses.map(({ entity, status: value, count }) => ({ entity, status: value, count })),
    can_resume: status.canResume,
    blocked_by: status.blockedBy.map((blocked) => ({ service: blocked.service, reason: blocked.reason })),
    resume_in_progress: status.resumeInProgress,
    last_report: status.lastReport ? toWireReport(status.lastReport) : null,
  };
}
