import { closedRecord } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { VersionedRecords, countedFailure, failureOnlyCounts } from './versioned-records.js';

describe('VersionedRecords', () => {
  it('keeps the latest reply, and drops what it held on a reply without a version', () => {
    const records = new VersionedRecords();
    const first = { ...closedRecord('apollo', 1), failureCount: 1 };
    const second = { ...closedRecord('apollo', 2), failureCount: 2 };
    records.keep('apollo', first, 7);
    records.keep('apollo', second, 3); // a hash rebuilt after Redis lost its state counts from 1 again
    expect(records.get('apollo')).toEqual({ record: second, version: 3 });
    records.keep('apollo', first, 0); // a hash from before versions: no version sent could match it
    expect(records.get('apollo')).toBeUndefined();
  });

  it('forgets one service, or all of them', () => {
    const records = new VersionedRecords();
    records.keep('apollo', closedRecord('apollo', 1), 1);
    records.keep('openai', closedRecord('openai', 1), 1);
    records.forget('apollo');
    expect([records.get('apollo'), records.get('openai')?.version]).toEqual([undefined, 1]);
    records.forgetAll();
    expect(records.get('openai')).toBeUndefined();
  });
});

describe('countedFailure', () => {
  const held = {
    version: 41,
    record: { ...closedRecord('apollo', 5), failureCount: 2, tripCount: 3, openedAt: 4, lastFailureReason: 'HTTP 503' },
  };

  it('is the record held with the new count, the time of the call and its reason, closed, at the next version', () => {
    expect(countedFailure(held, 9, 'HTTP 429')).toEqual({
      record: { ...held.record, failureCount: 3, updatedAt: 9, lastFailureReason: 'HTTP 429' },
      previousState: 'closed',
      transition: null,
      allowed: false,
      reason: null,
      stored: true,
      version: 42,
    });
  });

  it('keeps the reason held when the failure gave none, and leaves the record held as it was', () => {
    expect(countedFailure(held, 9, undefined).record.lastFailureReason).toBe('HTTP 503');
    expect(held.record.failureCount).toBe(2);
  });
});

describe('failureOnlyCounts', () => {
  const policy = { failureThreshold: 3, resetTimeoutMs: 1_000, halfOpenMaxProbes: 1, successThreshold: 1 };
  const closed = (failureCount: number) => ({ ...closedRecord('apollo', 1), failureCount });

  it('holds while a closed breaker stays below the threshold after the failure', () => {
    expect([0, 1, 2].map((count) => failureOnlyCounts(closed(count), policy))).toEqual([true, true, false]);
  });

  it('never holds off a closed breaker, nor with a failure-rate window (the failure moves its fields too)', () => {
    expect(failureOnlyCounts({ ...closed(0), state: 'open' }, policy)).toBe(false);
    expect(failureOnlyCounts({ ...closed(0), state: 'half_open' }, policy)).toBe(false);
    const withRate = { ...policy, failureRate: { threshold: 0.5, minimumRequests: 10, windowMs: 60_000 } };
    expect(failureOnlyCounts(closed(0), withRate)).toBe(false);
  });
});
