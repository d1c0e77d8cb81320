/**
 * Which events go into the history, and as what entry: a pure function of the event. Only what this process
 * did is recorded (another process records its own), and dry runs are not (the dashboard previews a resume
 * on every refresh: they change nothing).
 */
import type { BreakwaterEventName, BreakwaterEvents } from '../events.js';
import type { HistoryKind, NewHistoryEntry } from './history-entry.js';

type Payload<N extends BreakwaterEventName> = BreakwaterEvents[N][0];

/** The events the history records, each with the entry it becomes (null: not this one, e.g. another process's). */
export type RecordedEvent =
  | 'breaker:opened'
  | 'breaker:half-open'
  | 'breaker:closed'
  | 'breaker:reset'
  | 'breaker:tripped'
  | 'service:paused'
  | 'store:initialized'
  | 'resume:requested'
  | 'resume:blocked'
  | 'resume:completed'
  | 'resume:failed';

type Entry = Omit<NewHistoryEntry, 'at'>;

function entry(kind: HistoryKind, fields: Partial<Entry>): Entry {
  return { kind, service: null, actor: null, reason: null, details: {}, ...fields };
}

export const HISTORY_ENTRIES: { [N in RecordedEvent]: (payload: Payload<N>) => Entry | null } = {
  'breaker:opened': (p) =>
    p.remote
      ? null
      : entry('breaker:opened', {
          service: p.service,
          actor: p.requestedBy,
          reason: p.reason,
          details: { from: p.from, failureCount: p.record.failureCount, tripCount: p.record.tripCount, latched: p.record.latched },
        }),
  'breaker:half-open': (p) => (p.remote ? null : entry('breaker:half-open', { service: p.service, details: { from: p.from } })),
  'breaker:closed': (p) => (p.remote ? null : entry('breaker:closed', { service: p.service, details: { from: p.from } })),
  'breaker:reset': (p) =>
    p.remote
      ? null
      : entry('breaker:reset', { service: p.service, actor: p.requestedBy, details: { from: p.from, tripCount: p.record.tripCount } }),
  'breaker:tripped': (p) =>
    entry('breaker:tripped', { service: p.service, actor: p.requestedBy, reason: p.reason, details: { from: p.from } }),
  'service:paused': (p) =>
    p.remote
      ? null
      : entry('service:paused', {
          service: p.service,
          reason: p.reason,
          details: { jobsPaused: p.jobsPaused, campaignsPaused: p.campaignsPaused, source: p.source },
        }),
  'store:initialized': (p) =>
    entry('store:initialized', {
      reason:
        p.paused.length > 0
          ? `Stores set up from the durable record: ${p.paused.join(', ')} paused with breakers open until an operator resets them`
          : 'Stores set up from the durable record: no service is paused',
      details: { breakerStore: p.breakerStore, queueStore: p.queueStore, paused: [...p.paused] },
    }),
  'resume:requested': (p) => (p.dryRun ? null : entry('resume:requested', { actor: p.requestedBy, details: { resumeId: p.resumeId } })),
  'resume:blocked': (p) =>
    p.dryRun
      ? null
      : entry('resume:blocked', {
          actor: p.requestedBy,
          reason: p.message,
          details: { resumeId: p.resumeId, blocked: p.blocked.map((b) => ({ service: b.service, reason: b.reason })) },
        }),
  'resume:completed': ({ report, remote }) =>
    remote || report.dryRun
      ? null
      : entry('resume:completed', {
          actor: report.requestedBy,
          reason: report.message,
          details: {
            resumeId: report.resumeId,
            jobsResumed: report.jobsResumed,
            campaignJobsResumed: report.campaignJobsResumed,
            campaignsEligible: report.campaignsEligible,
            campaignsResumed: report.campaignsResumed,
            campaignResumeErrors: [...report.campaignResumeErrors],
            servicesResumed: [...report.servicesResumed],
          },
        }),
  'resume:failed': (p) => entry('resume:failed', { actor: p.requestedBy, reason: p.error, details: { resumeId: p.resumeId } }),
};

export const RECORDED_EVENTS = Object.keys(HISTORY_ENTRIES) as RecordedEvent[];

/** The entry an event becomes at `at`, or null when the history does not record it. */
export function historyEntryOf<N extends RecordedEvent>(name: N, payload: Payload<N>, at: number): NewHistoryEntry | null {
  const made = (HISTORY_ENTRIES[name] as (payload: Payload<N>) => Entry | null)(payload);
  return made === null ? null : { at, ...made };
}
