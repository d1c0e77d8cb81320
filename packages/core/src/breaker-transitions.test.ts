import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyFailure, applyPermit, applyReset, applySuccess, applyTrip, closedRecord, successIsNoop } from './breaker-transitions.js';
import type { PermitResult, TransitionResult } from './breaker-transitions.js';
import type { BreakerRecord } from './domain.js';
import type { BreakerPolicy } from './policy.js';

const T0 = 1_700_000_000_000;
const policy: BreakerPolicy = { failureThreshold: 3, resetTimeoutMs: 1_000, halfOpenMaxProbes: 1, successThreshold: 1 };
const withPolicy = (overrides: Partial<BreakerPolicy>): BreakerPolicy => ({ ...policy, ...overrides });

function failTimes(record: BreakerRecord, times: number, p: BreakerPolicy, now: number, reason?: string): TransitionResult {
  let result: TransitionResult = { record, previousState: record.state, transition: null };
  for (let i = 0; i < times; i++) result = applyFailure(result.record, { reason }, p, now);
  return result;
}

function openRecord(p: BreakerPolicy = policy, now = T0): BreakerRecord {
  const result = failTimes(closedRecord('apollo', now), p.failureThreshold, p, now, 'HTTP 503');
  expect(result.transition).toBe('opened');
  return result.record;
}

function halfOpenRecord(p: BreakerPolicy = policy): BreakerRecord {
  const permit = applyPermit(openRecord(p), p, T0 + p.resetTimeoutMs);
  expect(permit.transition).toBe('half_opened');
  return permit.record;
}

describe('closedRecord', () => {
  it('is closed with zero counts, nothing latched and no window', () => {
    expect(closedRecord('apollo', T0)).toEqual({
      service: 'apollo',
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
      updatedAt: T0,
    });
  });
});

describe('applyFailure', () => {
  it('counts consecutive failures while closed and opens exactly at the threshold', () => {
    const two = failTimes(closedRecord('apollo', T0), 2, policy, T0 + 5, 'HTTP 500');
    expect(two).toEqual({
      record: { ...closedRecord('apollo', T0), failureCount: 2, lastFailureReason: 'HTTP 500', updatedAt: T0 + 5 },
      previousState: 'closed',
      transition: null,
    });

    const third = applyFailure(two.record, { reason: 'HTTP 503' }, policy, T0 + 10);
    expect(third.transition).toBe('opened');
    expect(third.previousState).toBe('closed');
    expect(third.record).toEqual({
      ...two.record,
      state: 'open',
      failureCount: 3,
      openedAt: T0 + 10,
      nextAttemptAt: T0 + 10 + 1_000,
      lastFailureReason: 'HTTP 503',
      tripCount: 1,
      updatedAt: T0 + 10,
    });
  });

  it('keeps the last known reason when a failure has none', () => {
    const first = applyFailure(closedRecord('apollo', T0), { reason: 'timeout' }, policy, T0);
    expect(applyFailure(first.record, {}, policy, T0 + 1).record.lastFailureReason).toBe('timeout');
  });

  it('while open: counts the failure, no transition, the trip count unchanged', () => {
    const open = openRecord();
    const again = applyFailure(open, { reason: 'still down' }, policy, T0 + 100);
    expect(again).toEqual({
      record: { ...open, failureCount: 4, lastFailureReason: 'still down', updatedAt: T0 + 100 },
      previousState: 'open',
      transition: null,
    });
  });

  it('retryAfterMs longer than the reset timeout holds an opening breaker open that long', () => {
    const p = withPolicy({ failureThreshold: 1 });
    const opened = applyFailure(closedRecord('apollo', T0), { reason: '429', retryAfterMs: 30_000 }, p, T0);
    expect(opened.record.nextAttemptAt).toBe(T0 + 30_000);
    const shorter = applyFailure(closedRecord('apollo', T0), { retryAfterMs: 10 }, p, T0);
    expect(shorter.record.nextAttemptAt).toBe(T0 + 1_000);
  });

  it('retryAfterMs on an open breaker pushes the next attempt out, never in', () => {
    const open = openRecord(); // nextAttemptAt T0 + 1000
    const pushed = applyFailure(open, { retryAfterMs: 5_000 }, policy, T0 + 100);
    expect(pushed.record.nextAttemptAt).toBe(T0 + 5_100);
    expect(applyFailure(pushed.record, { retryAfterMs: 1 }, policy, T0 + 200).record.nextAttemptAt).toBe(T0 + 5_100);
    expect(applyFailure(open, {}, policy, T0 + 300).record.nextAttemptAt).toBe(T0 + 1_000);
  });

  it('a failed probe re-opens a half_open breaker for a full reset timeout, one more trip', () => {
    const half = halfOpenRecord();
    const reopened = applyFailure(half, { reason: 'probe failed' }, policy, T0 + 1_500);
    expect(reopened.transition).toBe('opened');
    expect(reopened.previousState).toBe('half_open');
    expect(reopened.record).toMatchObject({
      state: 'open',
      openedAt: T0 + 1_500,
      nextAttemptAt: T0 + 2_500,
      tripCount: 2,
      failureCount: 4,
      probesInFlight: 0,
      successCount: 0,
      latched: false,
      lastFailureReason: 'probe failed',
    });
  });

  it('a failed probe honours a Retry-After too', () => {
    const reopened = applyFailure(halfOpenRecord(), { retryAfterMs: 10_000 }, policy, T0 + 1_500);
    expect(reopened.record.nextAttemptAt).toBe(T0 + 11_500);
  });

  it('never gives a latched breaker a time to half-open', () => {
    const tripped = applyTrip(closedRecord('apollo', T0), 'maintenance', policy, T0).record;
    const failed = applyFailure(tripped, { retryAfterMs: 10 }, policy, T0 + 1);
    expect(failed.record).toMatchObject({ state: 'open', latched: true, nextAttemptAt: null });
  });
});

describe('applySuccess and successIsNoop', () => {
  it('a success on a healthy closed breaker is a no-op the store may skip', () => {
    const record = closedRecord('apollo', T0);
    expect(successIsNoop(record, policy)).toBe(true);
    expect(applySuccess(record, policy, T0 + 1)).toEqual({ record, previousState: 'closed', transition: null });
  });

  it('a success while closed zeroes the consecutive failures', () => {
    const two = failTimes(closedRecord('apollo', T0), 2, policy, T0).record;
    expect(successIsNoop(two, policy)).toBe(false);
    const success = applySuccess(two, policy, T0 + 1);
    expect(success).toEqual({ record: { ...two, failureCount: 0, updatedAt: T0 + 1 }, previousState: 'closed', transition: null });
  });

  it('a success while open (a call let through before it opened) changes nothing', () => {
    const open = openRecord();
    expect(successIsNoop(open, policy)).toBe(true);
    expect(applySuccess(open, policy, T0 + 1)).toEqual({ record: open, previousState: 'open', transition: null });
  });

  it('with a failure-rate window, every success is counted, so none is a no-op', () => {
    const p = withPolicy({ failureRate: { threshold: 0.5, minimumRequests: 4, windowMs: 10_000 } });
    expect(successIsNoop(closedRecord('apollo', T0), p)).toBe(false);
  });

  it('half_open closes after successThreshold successes, keeping the trip count and last reason', () => {
    const p = withPolicy({ successThreshold: 2, halfOpenMaxProbes: 2 });
    const half = applyPermit(halfOpenRecord(p), p, T0 + 1_000).record; // second probe out
    expect(half.probesInFlight).toBe(2);

    const first = applySuccess(half, p, T0 + 1_100);
    expect(first).toEqual({
      record: { ...half, successCount: 1, probesInFlight: 1, updatedAt: T0 + 1_100 },
      previousState: 'half_open',
      transition: null,
    });
    const second = applySuccess(first.record, p, T0 + 1_200);
    expect(second.transition).toBe('closed');
    expect(second.previousState).toBe('half_open');
    expect(second.record).toEqual({ ...closedRecord('apollo', T0 + 1_200), tripCount: 1, lastFailureReason: 'HTTP 503' });
  });
});

describe('applyPermit', () => {
  it('closed: always allowed, nothing changes', () => {
    const record = closedRecord('apollo', T0);
    expect(applyPermit(record, policy, T0)).toEqual({ record, previousState: 'closed', transition: null, allowed: true, reason: null });
  });

  it('open: refused before nextAttemptAt, half-opens with one probe from it', () => {
    const open = openRecord();
    expect(applyPermit(open, policy, T0 + 999)).toEqual({
      record: open,
      previousState: 'open',
      transition: null,
      allowed: false,
      reason: 'open',
    });

    const probe = applyPermit(open, policy, T0 + 1_000);
    expect(probe).toEqual({
      record: { ...open, state: 'half_open', successCount: 0, probesInFlight: 1, nextAttemptAt: T0 + 2_000, updatedAt: T0 + 1_000 },
      previousState: 'open',
      transition: 'half_opened',
      allowed: true,
      reason: null,
    });
  });

  it('half_open: hands out at most halfOpenMaxProbes probes', () => {
    const p = withPolicy({ halfOpenMaxProbes: 3 });
    let record = halfOpenRecord(p);
    for (const inFlight of [2, 3]) {
      const permit = applyPermit(record, p, T0 + 1_001);
      expect(permit).toMatchObject({ allowed: true, reason: null, transition: null, previousState: 'half_open' });
      expect(permit.record.probesInFlight).toBe(inFlight);
      record = permit.record;
    }
    expect(applyPermit(record, p, T0 + 1_002)).toEqual({
      record,
      previousState: 'half_open',
      transition: null,
      allowed: false,
      reason: 'half_open',
    });
  });

  it('half_open: probes left unanswered past nextAttemptAt are written off and fresh ones go out', () => {
    const half = halfOpenRecord(); // one probe out, nextAttemptAt T0 + 2000
    expect(applyPermit(half, policy, T0 + 1_999).allowed).toBe(false);
    const fresh = applyPermit(half, policy, T0 + 2_000);
    expect(fresh).toMatchObject({ allowed: true, transition: null });
    expect(fresh.record).toEqual({ ...half, probesInFlight: 1, nextAttemptAt: T0 + 3_000, updatedAt: T0 + 2_000 });
  });

  it('a successful probe that does not close yet frees its slot for the next probe', () => {
    const p = withPolicy({ successThreshold: 3 });
    const half = halfOpenRecord(p);
    expect(applyPermit(half, p, T0 + 1_001).allowed).toBe(false);
    const answered = applySuccess(half, p, T0 + 1_002).record;
    expect(applyPermit(answered, p, T0 + 1_003).allowed).toBe(true);
  });

  it('latched: refused forever, even a year later', () => {
    const tripped = applyTrip(closedRecord('apollo', T0), 'maintenance', policy, T0).record;
    expect(applyPermit(tripped, policy, T0 + 365 * 24 * 3_600_000)).toMatchObject({
      allowed: false,
      reason: 'open',
      transition: null,
      record: tripped,
    });
  });
});

describe('applyTrip', () => {
  it('forces a closed breaker open and latched: one trip', () => {
    const record = failTimes(closedRecord('apollo', T0), 1, policy, T0).record;
    const tripped = applyTrip(record, 'maintenance', policy, T0 + 1);
    expect(tripped).toEqual({
      record: {
        ...record,
        state: 'open',
        openedAt: T0 + 1,
        nextAttemptAt: null,
        lastFailureReason: 'maintenance',
        tripCount: 1,
        latched: true,
        updatedAt: T0 + 1,
      },
      previousState: 'closed',
      transition: 'opened',
    });
  });

  it('forces a half_open breaker open, dropping its probes', () => {
    const tripped = applyTrip(halfOpenRecord(), 'maintenance', policy, T0 + 1_100);
    expect(tripped).toMatchObject({
      previousState: 'half_open',
      transition: 'opened',
      record: { state: 'open', latched: true, tripCount: 2, probesInFlight: 0, successCount: 0, nextAttemptAt: null },
    });
  });

  it('latches an open breaker without a second trip', () => {
    const open = openRecord();
    expect(applyTrip(open, 'maintenance', policy, T0 + 5)).toEqual({
      record: { ...open, latched: true, nextAttemptAt: null, lastFailureReason: 'maintenance', updatedAt: T0 + 5 },
      previousState: 'open',
      transition: null,
    });
  });
});

describe('applyReset', () => {
  it('closes from any state, zeroing everything but the trip count', () => {
    const tripped = applyTrip(openRecord(), 'maintenance', policy, T0 + 1).record;
    for (const record of [tripped, halfOpenRecord(), failTimes(closedRecord('apollo', T0), 2, policy, T0).record]) {
      const reset = applyReset(record, T0 + 50);
      expect(reset).toEqual({
        record: { ...closedRecord('apollo', T0 + 50), tripCount: record.tripCount },
        previousState: record.state,
        transition: 'reset',
      });
    }
  });
});

describe('failure-rate window', () => {
  const p = withPolicy({ failureThreshold: 100, failureRate: { threshold: 0.5, minimumRequests: 4, windowMs: 10_000 } });

  it('opens when the rate in the window reaches the threshold with enough calls', () => {
    let record = closedRecord('apollo', T0);
    record = applySuccess(record, p, T0).record;
    record = applyFailure(record, {}, p, T0 + 1).record;
    record = applySuccess(record, p, T0 + 2).record;
    expect(record).toMatchObject({ state: 'closed', windowStartedAt: T0, windowRequests: 3, windowFailures: 1, failureCount: 0 });
    const opened = applyFailure(record, { reason: 'flaky' }, p, T0 + 3);
    expect(opened.transition).toBe('opened');
    expect(opened.record).toMatchObject({
      state: 'open',
      windowRequests: 4,
      windowFailures: 2,
      failureCount: 1,
      tripCount: 1,
      lastFailureReason: 'flaky',
    });
  });

  it('does not judge the rate below the minimum number of calls', () => {
    const three = failTimes(closedRecord('apollo', T0), 3, p, T0);
    expect(three.transition).toBeNull();
    expect(three.record).toMatchObject({ state: 'closed', windowRequests: 3, windowFailures: 3 });
  });

  it('stays closed below the threshold rate', () => {
    let record = closedRecord('apollo', T0);
    for (const failed of [true, false, false, false, true, false]) {
      record = (failed ? applyFailure(record, {}, p, T0) : applySuccess(record, p, T0)).record;
    }
    expect(record).toMatchObject({ state: 'closed', windowRequests: 6, windowFailures: 2 });
  });

  it('starts a new window when the old one has run out', () => {
    const three = failTimes(closedRecord('apollo', T0), 3, p, T0).record;
    const later = applyFailure(three, {}, p, T0 + 10_000);
    expect(later.transition).toBeNull();
    expect(later.record).toMatchObject({ windowStartedAt: T0 + 10_000, windowRequests: 1, windowFailures: 1 });
    const justBefore = applyFailure(three, {}, p, T0 + 9_999);
    expect(justBefore.transition).toBe('opened');
  });

  it('a failed probe re-opens a breaker the rate opened, though its consecutive failures are below the threshold', () => {
    // Half-open after the window ran out: neither the count nor the rate would open it again, only the probe's failure.
    const slow = { ...p, resetTimeoutMs: 20_000 };
    let record = closedRecord('apollo', T0);
    for (const failed of [true, false, true, true]) {
      record = (failed ? applyFailure(record, {}, slow, T0) : applySuccess(record, slow, T0)).record;
    }
    expect(record).toMatchObject({ state: 'open', failureCount: 2, tripCount: 1 });
    const probe = applyPermit(record, slow, T0 + slow.resetTimeoutMs);
    expect(probe.record.state).toBe('half_open');
    const failed = applyFailure(probe.record, { reason: 'still flaky' }, slow, T0 + slow.resetTimeoutMs + 1);
    expect(failed.transition).toBe('opened');
    expect(failed.record).toMatchObject({ state: 'open', tripCount: 2, lastFailureReason: 'still flaky', probesInFlight: 0 });
  });

  it('is left alone without a failure-rate policy', () => {
    const record = failTimes(closedRecord('apollo', T0), 2, policy, T0).record;
    expect(record).toMatchObject({ windowStartedAt: null, windowRequests: 0, windowFailures: 0 });
  });
});

describe('invariants over any sequence of operations', () => {
  type Op = { kind: 'failure'; retryAfterMs?: number } | { kind: 'success' } | { kind: 'permit' } | { kind: 'trip' } | { kind: 'reset' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record(
      { kind: fc.constant('failure' as const), retryAfterMs: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: undefined }) },
      { requiredKeys: ['kind'] },
    ),
    fc.constant({ kind: 'success' as const }),
    fc.constant({ kind: 'permit' as const }),
    fc.constant({ kind: 'trip' as const }),
    fc.constant({ kind: 'reset' as const }),
  );
  const policyArb: fc.Arbitrary<BreakerPolicy> = fc.record(
    {
      failureThreshold: fc.integer({ min: 1, max: 5 }),
      resetTimeoutMs: fc.integer({ min: 1, max: 2_000 }),
      halfOpenMaxProbes: fc.integer({ min: 1, max: 3 }),
      successThreshold: fc.integer({ min: 1, max: 3 }),
      failureRate: fc.option(
        fc.record({
          threshold: fc.double({ min: 0.1, max: 1, noNaN: true }),
          minimumRequests: fc.integer({ min: 1, max: 6 }),
          windowMs: fc.integer({ min: 1, max: 3_000 }),
        }),
        { nil: undefined },
      ),
    },
    { requiredKeys: ['failureThreshold', 'resetTimeoutMs', 'halfOpenMaxProbes', 'successThreshold'] },
  );

  it('trips are counted once per opening, latched breakers never half-open, probes stay within the limit', () => {
    fc.assert(
      fc.property(policyArb, fc.array(fc.tuple(op, fc.integer({ min: 0, max: 1_500 })), { maxLength: 60 }), (p, steps) => {
        let record = closedRecord('svc', T0);
        let now = T0;
        for (const [step, advance] of steps) {
          now += advance;
          const before = record;
          const result: TransitionResult =
            step.kind === 'failure'
              ? applyFailure(record, { reason: 'x', retryAfterMs: step.retryAfterMs }, p, now)
              : step.kind === 'success'
                ? applySuccess(record, p, now)
                : step.kind === 'permit'
                  ? applyPermit(record, p, now)
                  : step.kind === 'trip'
                    ? applyTrip(record, 'maintenance', p, now)
                    : applyReset(record, now);
          record = result.record;

          expect(result.previousState).toBe(before.state);
          expect(record.tripCount).toBe(before.tripCount + (result.transition === 'opened' ? 1 : 0));
          if (result.transition === 'opened') expect(record.state).toBe('open');
          if (result.transition === 'half_opened') expect([before.state, record.state]).toEqual(['open', 'half_open']);
          if (before.latched && step.kind !== 'reset') expect(record).toMatchObject({ state: 'open', latched: true, nextAttemptAt: null });
          if (record.state === 'open' && !record.latched) expect(record.nextAttemptAt).not.toBeNull();
          if (record.latched) expect(record.state).toBe('open');
          if (record.state === 'closed')
            expect(record).toMatchObject({ probesInFlight: 0, successCount: 0, openedAt: null, nextAttemptAt: null });
          expect(record.probesInFlight).toBeLessThanOrEqual(p.halfOpenMaxProbes);
          if ('allowed' in result) expect((result as PermitResult).reason === null).toBe(result.allowed);
          expect(record.service).toBe('svc');
        }
      }),
      { numRuns: 300 },
    );
  });
});
