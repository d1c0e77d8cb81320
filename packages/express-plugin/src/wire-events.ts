/** Each Breakwater event as the event stream sends it: the same snake_case wire form as the routes. */
import type { BreakwaterEventName, BreakwaterEvents } from '@breakwater/core';
import { toErrorResponse } from './error-response.js';
import { toWireBreaker, toWireReport } from './wire-format.js';

type Payload<N extends BreakwaterEventName> = BreakwaterEvents[N][0];

function breakerEvent(payload: Payload<'breaker:closed'>) {
  return {
    service: payload.service,
    record: toWireBreaker(payload.record),
    remote: payload.remote,
    from: payload.from,
    requested_by: payload.requestedBy,
  };
}

/** One entry per event name, so a new event in core fails the typecheck here until it has a wire form. */
const WIRE_EVENTS: { [N in BreakwaterEventName]: (payload: Payload<N>) => unknown } = {
  'breaker:opened': (p) => ({ ...breakerEvent(p), reason: p.reason }),
  'breaker:half-open': breakerEvent,
  'breaker:closed': breakerEvent,
  'breaker:reset': breakerEvent,
  'breaker:tripped': (p) => ({
    service: p.service,
    reason: p.reason,
    requested_by: p.requestedBy,
    record: toWireBreaker(p.record),
    from: p.from,
  }),
  'service:paused': (p) => ({
    service: p.service,
    reason: p.reason,
    jobs_paused: p.jobsPaused,
    campaigns_paused: p.campaignsPaused,
    remote: p.remote,
    source: p.source,
  }),
  'resume:requested': (p) => ({ resume_id: p.resumeId, requested_by: p.requestedBy, dry_run: p.dryRun }),
  'resume:blocked': (p) => ({
    resume_id: p.resumeId,
    requested_by: p.requestedBy,
    blocked: p.blocked,
    message: p.message,
    dry_run: p.dryRun,
  }),
  'resume:failed': (p) => ({ resume_id: p.resumeId, requested_by: p.requestedBy, error: p.error }),
  'service:resumed': (p) => ({ service: p.service, jobs_resumed: p.jobsResumed, remote: p.remote, resume_id: p.resumeId }),
  'campaign:resumed': (p) => ({ resume_id: p.resumeId, campaign_id: p.campaignId }),
  'campaign:resume-failed': (p) => ({ resume_id: p.resumeId, campaign_id: p.campaignId, error: p.error }),
  'resume:completed': (p) => ({ report: toWireReport(p.report), remote: p.remote }),
  'job:enqueued': (p) => ({ service: p.service, job_id: p.jobId }),
  'jobs:enqueued': (p) => ({ service: p.service, count: p.count }),
  'store:initialized': (p) => ({ breaker_store: p.breakerStore, queue_store: p.queueStore, paused: p.paused }),
  // The words an HTTP answer would give for it: a driver's message can name hosts and credentials, which stay in the log.
  'store:error': (p) => ({ during: p.during, service: p.service, error: toErrorResponse(p.error).detail }),
};

export function toWireEvent<N extends BreakwaterEventName>(name: N, payload: Payload<N>): unknown {
  return WIRE_EVENTS[name](payload);
}
