import { closedRecord } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { REPLY_FIELDS, outcomeFromReply, policyArguments, recordFromHash } from './breaker-hash.js';

describe('recordFromHash', () => {
  it('reads an empty hash as a breaker never stored: closed as of now', () => {
    expect(recordFromHash('apollo', {}, 1_234)).toEqual(closedRecord('apollo', 1_234));
  });

  it('reads the snake_case fields, absent ones as null', () => {
    const record = recordFromHash(
      'apollo',
      {
        state: 'open',
        failure_count: '5',
        opened_at: '1732812345678',
        next_attempt_at: '1732812405678',
        last_failure_reason: 'HTTP 503',
        trip_count: '2',
        latched: 'false',
        updated_at: '1732812345678',
      },
      0,
    );
    expect(record).toEqual({
      ...closedRecord('apollo', 1732812345678),
      state: 'open',
      failureCount: 5,
      openedAt: 1732812345678,
      nextAttemptAt: 1732812405678,
      lastFailureReason: 'HTTP 503',
      tripCount: 2,
    });
  });

  it('reads every field the scripts write, blanks as zero or null, a missing state as closed', () => {
    const full = {
      state: 'half_open',
      failure_count: '4',
      success_count: '1',
      opened_at: '100',
      next_attempt_at: '200',
      last_failure_reason: 'timeout',
      trip_count: '3',
      latched: 'true',
      probes_in_flight: '2',
      window_started_at: '50',
      window_requests: '9',
      window_failures: '6',
      updated_at: '150',
    };
    expect(recordFromHash('apollo', full, 999)).toEqual({
      service: 'apollo',
      state: 'half_open',
      failureCount: 4,
      successCount: 1,
      openedAt: 100,
      nextAttemptAt: 200,
      lastFailureReason: 'timeout',
      tripCount: 3,
      latched: true,
      probesInFlight: 2,
      windowStartedAt: 50,
      windowRequests: 9,
      windowFailures: 6,
      updatedAt: 150,
    });
    const blanks = Object.fromEntries(Object.keys(full).map((field) => [field, field === 'state' ? 'open' : '']));
    expect(recordFromHash('apollo', { ...blanks, last_failure_reason: 'x' }, 999)).toEqual({
      ...closedRecord('apollo', 999),
      state: 'open',
      lastFailureReason: 'x',
    });
    expect(recordFromHash('apollo', { failure_count: '2' }, 999)).toEqual({ ...closedRecord('apollo', 999), failureCount: 2 });
  });

  it('refuses a state it does not know', () => {
    expect(() => recordFromHash('apollo', { state: 'OPEN' }, 0)).toThrow('unknown breaker state "OPEN"');
  });
});

describe('outcomeFromReply', () => {
  it('decodes the header and the record, its values in REPLY_FIELDS order (false when absent), sent as one JSON array', () => {
    const values = REPLY_FIELDS.map((field) => ({ state: 'half_open', probes_in_flight: '1', updated_at: '7' })[field as string] ?? false);
    const outcome = outcomeFromReply('apollo', JSON.stringify(['open', 'half_opened', '1', '', '1', ...values]));
    expect(outcome).toEqual({
      previousState: 'open',
      transition: 'half_opened',
      allowed: true,
      reason: null,
      stored: true,
      record: { ...closedRecord('apollo', 7), state: 'half_open', probesInFlight: 1 },
    });
  });

  it('decodes a refusal: not allowed, its reason, a record never stored', () => {
    const openValues = REPLY_FIELDS.map((field) => (field === 'state' ? 'open' : false));
    const noValues = REPLY_FIELDS.map(() => false);
    for (const reason of ['open', 'half_open'] as const) {
      expect(outcomeFromReply('apollo', JSON.stringify(['open', '', '0', reason, '0', ...openValues]))).toMatchObject({
        previousState: 'open',
        transition: null,
        allowed: false,
        reason,
        stored: false,
      });
    }
    expect(outcomeFromReply('apollo', JSON.stringify(['closed', 'opened', '1', 'queue_paused', '1', ...noValues]))).toMatchObject({
      transition: 'opened',
      reason: null,
    });
    expect(() => outcomeFromReply('apollo', JSON.stringify(['closed', 'tripped', '1', '', '1', ...noValues]))).toThrow(
      'unknown breaker transition "tripped"',
    );
  });

  it('refuses a reply of another shape', () => {
    expect(() => outcomeFromReply('apollo', 'OK')).toThrow('unexpected reply from a breaker script');
    expect(() => outcomeFromReply('apollo', ['closed', '', '1', '', '1'])).toThrow('unexpected reply from a breaker script');
    expect(() => outcomeFromReply('apollo', '["closed", ""]')).toThrow('unexpected reply from a breaker script');
    // The record as field/value pairs (the replies' former shape) is not read as values.
    expect(() => outcomeFromReply('apollo', JSON.stringify(['closed', '', '0', '', '1', 'state', 'closed']))).toThrow(
      'unexpected reply from a breaker script',
    );
  });

  it('reads a reply with no value at all as a breaker never stored', () => {
    const outcome = outcomeFromReply('apollo', JSON.stringify(['closed', '', '1', '', '0', ...REPLY_FIELDS.map(() => false)]));
    expect(outcome.record).toEqual(closedRecord('apollo', 0));
  });
});

describe('policyArguments', () => {
  it('passes numbers exactly, and blanks for a missing failure-rate window', () => {
    expect(policyArguments({ failureThreshold: 5, resetTimeoutMs: 60_000, halfOpenMaxProbes: 1, successThreshold: 2 })).toEqual([
      '5',
      '60000',
      '1',
      '2',
      '',
      '',
      '',
    ]);
    expect(
      policyArguments({
        failureThreshold: 5,
        resetTimeoutMs: 1,
        halfOpenMaxProbes: 1,
        successThreshold: 1,
        failureRate: { threshold: 1 / 3, minimumRequests: 4, windowMs: 10_000 },
      }).slice(4),
    ).toEqual([String(1 / 3), '4', '10000']);
  });
});
