/**
 * The breaker's rules as pure functions: (record, input, policy, now) → next record.
 * Every CircuitBreakerStore applies exactly these rules atomically (the in-memory store
 * calls them; the Redis store runs the same rules in Lua), so the contract suite can hold
 * every adapter to one behaviour.
 */
import type { BreakerRecord, BreakerState } from './domain.js';
import type { BreakerPolicy } from './policy.js';
import { DEFAULT_POLICY } from './policy.js';

/** What a store operation did to the breaker; `opened` starts the pause cascade. */
export type BreakerTransition = 'opened' | 'half_opened' | 'closed' | 'reset' | null;

export interface TransitionResult {
  record: BreakerRecord;
  previousState: BreakerState;
  transition: BreakerTransition;
}

export interface PermitResult extends TransitionResult {
  allowed: boolean;
  /** Why the call was refused: the breaker's state. */
  reason: 'open' | 'half_open' | null;
}

export interface FailureInput {
  reason?: string | undefined;
  /** From a 429's Retry-After: the breaker, once open, stays open at least this long. */
  retryAfterMs?: number | undefined;
}

export function closedRecord(service: string, now: number): BreakerRecord {
  return {
    service,
    state: 'closed',
    failureCount: 0,
    successCount: 0,
    openedAt: null,
    nextAttemptAt: null,
    lastFailureReason: null,
    tripCount: 0,
    latched: false,
    probesInFlight: 0,
    windowStartedAt: null,
    windowRequests: 0,
    windowFailures: 0,
    updatedAt: now,
  };
}

function unchanged(record: BreakerRecord): TransitionResult {
  return { record, previousState: record.state, transition: null };
}

function open(record: BreakerRecord, now: number, policy: BreakerPolicy, failure: FailureInput, latched: boolean): BreakerRecord {
  const holdMs = Math.max(policy.resetTimeoutMs, failure.retryAfterMs ?? 0);
  return {
    ...record,
    state: 'open',
    openedAt: now,
    nextAttemptAt: latched ? null : now + holdMs,
    lastFailureReason: failure.reason ?? record.lastFailureReason,
    tripCount: record.tripCount + 1,
    latched,
    successCount: 0,
    probesInFlight: 0,
    updatedAt: now,
  };
}

/** Counts a call in the failure-rate window, starting a new window when the old one has run out. */
function countInWindow(record: BreakerRecord, policy: BreakerPolicy, now: number, failed: boolean): BreakerRecord {
  const window = policy.failureRate;
  if (!window) return record;
  const expired = record.windowStartedAt === null || now - record.windowStartedAt >= window.windowMs;
  const base = expired ? { windowStartedAt: now, windowRequests: 0, windowFailures: 0 } : record;
  return {
    ...record,
    windowStartedAt: base.windowStartedAt,
    windowRequests: base.windowRequests + 1,
    windowFailures: base.windowFailures + (failed ? 1 : 0),
  };
}

function failureRateExceeded(record: BreakerRecord, policy: BreakerPolicy): boolean {
  const window = policy.failureRate;
  if (!window || record.windowRequests < window.minimumRequests) return false;
  return record.windowFailures / record.windowRequests >= window.threshold;
}

export function applyFailure(record: BreakerRecord, failure: FailureInput, policy: BreakerPolicy, now: number): TransitionResult {
  const previousState = record.state;
  if (record.state === 'open') {
    // Already open: remember the failure, and let a Retry-After push the next attempt out.
    const retryAt = failure.retryAfterMs !== undefined && !record.latched ? now + failure.retryAfterMs : null;
    const nextAttemptAt =
      retryAt !== null && record.nextAttemptAt !== null ? Math.max(record.nextAttemptAt, retryAt) : record.nextAttemptAt;
    const next = {
      ...record,
      failureCount: record.failureCount + 1,
      lastFailureReason: failure.reason ?? record.lastFailureReason,
      nextAttemptAt,
      updatedAt: now,
    };
    return { record: next, previousState, transition: null };
  }
  if (record.state === 'half_open') {
    // A failed probe re-opens the breaker for a full reset timeout.
    const next = open({ ...record, failureCount: record.failureCount + 1 }, now, policy, failure, false);
    return { record: next, previousState, transition: 'opened' };
  }
  const counted = countInWindow({ ...record, failureCount: record.failureCount + 1, updatedAt: now }, policy, now, true);
  if (counted.failureCount >= policy.failureThreshold || failureRateExceeded(counted, policy)) {
    return { record: open(counted, now, policy, failure, false), previousState, transition: 'opened' };
  }
  return { record: { ...counted, lastFailureReason: failure.reason ?? counted.lastFailureReason }, previousState, transition: null };
}

/** True when a success would change nothing: stores may then skip the write (and the round trip). */
export function successIsNoop(record: BreakerRecord, policy: BreakerPolicy): boolean {
  return (record.state === 'closed' && record.failureCount === 0 && !policy.failureRate) || record.state === 'open';
}

export function applySuccess(record: BreakerRecord, policy: BreakerPolicy, now: number): TransitionResult {
  if (successIsNoop(record, policy)) return unchanged(record);
  const previousState = record.state;
  if (record.state === 'half_open') {
    const successCount = record.successCount + 1;
    if (successCount >= policy.successThreshold) {
      return {
        record: { ...closedRecord(record.service, now), tripCount: record.tripCount, lastFailureReason: record.lastFailureReason },
        previousState,
        transition: 'closed',
      };
    }
    return {
      record: { ...record, successCount, probesInFlight: Math.max(0, record.probesInFlight - 1), updatedAt: now },
      previousState,
      transition: null,
    };
  }
  return { record: countInWindow({ ...record, failureCount: 0, updatedAt: now }, policy, now, false), previousState, transition: null };
}

/** Asks to let one call through; past the reset timeout an open breaker turns half_open and hands out probes. */
export function applyPermit(record: BreakerRecord, policy: BreakerPolicy, now: number): PermitResult {
  const previousState = record.state;
  if (record.state === 'closed') return { ...unchanged(record), allowed: true, reason: null };
  if (record.state === 'open') {
    if (record.latched || record.nextAttemptAt === null || now < record.nextAttemptAt) {
      return { ...unchanged(record), allowed: false, reason: 'open' };
    }
    const next: BreakerRecord = {
      ...record,
      state: 'half_open',
      successCount: 0,
      probesInFlight: 1,
      nextAttemptAt: now + policy.resetTimeoutMs,
      updatedAt: now,
    };
    return { record: next, previousState, transition: 'half_opened', allowed: true, reason: null };
  }
  if (record.probesInFlight < policy.halfOpenMaxProbes) {
    return {
      record: { ...record, probesInFlight: record.probesInFlight + 1, updatedAt: now },
      previousState,
      transition: null,
      allowed: true,
      reason: null,
    };
  }
  if (record.nextAttemptAt !== null && now >= record.nextAttemptAt) {
    // The probes handed out never answered (their callers died): hand out fresh ones.
    const next = { ...record, probesInFlight: 1, nextAttemptAt: now + policy.resetTimeoutMs, updatedAt: now };
    return { record: next, previousState, transition: null, allowed: true, reason: null };
  }
  return { ...unchanged(record), allowed: false, reason: 'half_open' };
}

/** Forces the breaker open and latched (maintenance); `opened` only when it was not open already. */
export function applyTrip(record: BreakerRecord, reason: string, policy: BreakerPolicy, now: number): TransitionResult {
  const previousState = record.state;
  if (record.state === 'open') {
    return {
      record: { ...record, latched: true, nextAttemptAt: null, lastFailureReason: reason, updatedAt: now },
      previousState,
      transition: null,
    };
  }
  return { record: open(record, now, policy, { reason }, true), previousState, transition: 'opened' };
}

/** Closes the breaker and zeroes its counts; the trip count is history and stays. */
export function applyReset(record: BreakerRecord, now: number): TransitionResult {
  return {
    record: { ...closedRecord(record.service, now), tripCount: record.tripCount },
    previousState: record.state,
    transition: 'reset',
  };
}

/**
 * A breaker rebuilt after its store lost its state: what survived (or a fresh closed record), forced open
 * and latched with `pausedReason` when the durable record says its service is paused. Latched, because
 * only an operator can tell whether the service is healthy again: the reset is theirs to make.
 */
export function applyRestore(record: BreakerRecord | null, service: string, pausedReason: string | null, now: number): BreakerRecord {
  const current = record ?? closedRecord(service, now);
  // A latched opening never reads the policy (it only times an unlatched one's next attempt).
  return pausedReason === null ? current : applyTrip(current, pausedReason, DEFAULT_POLICY, now).record;
}
