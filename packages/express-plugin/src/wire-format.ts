/**
 * The HTTP form of core's records, for the routes, the event stream and the dashboard alike: snake_case keys
 * (docs/manual-resume.md), times as ISO-8601 strings (core keeps ms since the epoch).
 */
import type {
  BreakerRecord,
  Campaign,
  HistoryEntry,
  HistoryValue,
  QueueState,
  ResumeReport,
  ServiceBackgroundTasks,
  SystemStatus,
  WorkerHeartbeat,
} from '@breakwater/core';

/** The resume report; `campaign_resume_errors` appears only when some campaign failed. */
export interface WireReport {
  queue_resumed: boolean;
  jobs_resumed: number;
  campaign_jobs_resumed: number;
  campaigns_eligible: number;
  campaigns_resumed: number;
  campaign_resume_errors?: string[];
  services_resumed: string[];
  prerequisites_met: string;
  message: string;
  resume_id: string;
  requested_by: string | null;
  started_at: string;
  finished_at: string;
  dry_run: boolean;
}

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
  /** Live workers in every process; null when the instance has no worker registry. */
  workers: WireWorker[] | null;
  background_tasks: WireBackgroundTasks[] | null;
}

export interface WireWorker {
  worker_id: string;
  service: string;
  pid: number;
  hostname: string;
  concurrency: number;
  jobs_in_flight: number;
  started_at: string;
  last_seen_at: string;
}

export interface WireBackgroundTasks {
  service: string;
  state: ServiceBackgroundTasks['state'];
  workers: number;
  jobs_in_flight: number;
}

export interface WireHistoryEntry {
  id: string;
  at: string;
  kind: HistoryEntry['kind'];
  service: string | null;
  actor: string | null;
  reason: string | null;
  /** The entry's details with snake_case keys (`jobs_resumed`, `campaign_resume_errors`, …). */
  details: Record<string, unknown>;
}

export interface WireCampaign {
  id: string;
  name: string;
  status: Campaign['status'];
  status_message: string | null;
  created_at: string;
  updated_at: string;
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function toWireReport(report: ResumeReport): WireReport {
  return {
    queue_resumed: report.queueResumed,
    jobs_resumed: report.jobsResumed,
    campaign_jobs_resumed: report.campaignJobsResumed,
    campaigns_eligible: report.campaignsEligible,
    campaigns_resumed: report.campaignsResumed,
    ...(report.campaignResumeErrors.length > 0 ? { campaign_resume_errors: [...report.campaignResumeErrors] } : {}),
    services_resumed: [...report.servicesResumed],
    prerequisites_met: report.prerequisitesMet,
    message: report.message,
    resume_id: report.resumeId,
    requested_by: report.requestedBy,
    started_at: report.startedAt,
    finished_at: report.finishedAt,
    dry_run: report.dryRun,
  };
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
    workers: status.workers?.map(toWireWorker) ?? null,
    background_tasks:
      status.backgroundTasks?.map((tasks) => ({
        service: tasks.service,
        state: tasks.state,
        workers: tasks.workers,
        jobs_in_flight: tasks.jobsInFlight,
      })) ?? null,
  };
}

export function toWireWorker(worker: WorkerHeartbeat): WireWorker {
  return {
    worker_id: worker.workerId,
    service: worker.service,
    pid: worker.pid,
    hostname: worker.hostname,
    concurrency: worker.concurrency,
    jobs_in_flight: worker.jobsInFlight,
    started_at: new Date(worker.startedAt).toISOString(),
    last_seen_at: new Date(worker.lastSeenAt).toISOString(),
  };
}

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** Object keys in snake_case, all the way down; values (strings in lists included) as they are. */
function snakeKeys(value: HistoryValue): unknown {
  if (Array.isArray(value)) return value.map((item: HistoryValue) => snakeKeys(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [snakeCase(key), snakeKeys(inner as HistoryValue)]));
  }
  return value;
}

export function toWireHistoryEntry(entry: HistoryEntry): WireHistoryEntry {
  return {
    id: entry.id,
    at: new Date(entry.at).toISOString(),
    kind: entry.kind,
    service: entry.service,
    actor: entry.actor,
    reason: entry.reason,
    details: snakeKeys(entry.details) as Record<string, unknown>,
  };
}

export function toWireCampaign(campaign: Campaign): WireCampaign {
  return {
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    status_message: campaign.statusMessage,
    created_at: campaign.createdAt.toISOString(),
    updated_at: campaign.updatedAt.toISOString(),
  };
}
