import type { BreakerRecord } from '@breakwater/core';

/**
 * A copy of a breaker record, with the fields a counted failure changes given anew when they are. Written out
 * field by field: a spread (with overrides or without) costs several times more, and this runs on every failure.
 */
export function copyRecord(
  base: BreakerRecord,
  failureCount = base.failureCount,
  lastFailureReason = base.lastFailureReason,
  updatedAt = base.updatedAt,
): BreakerRecord {
  return {
    service: base.service,
    state: base.state,
    failureCount,
    successCount: base.successCount,
    openedAt: base.openedAt,
    nextAttemptAt: base.nextAttemptAt,
    lastFailureReason,
    tripCount: base.tripCount,
    latched: base.latched,
    probesInFlight: base.probesInFlight,
    windowStartedAt: base.windowStartedAt,
    windowRequests: base.windowRequests,
    windowFailures: base.windowFailures,
    updatedAt,
  };
}
