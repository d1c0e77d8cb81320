import { closedRecord } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { REPLY_FIELDS, outcomeFromReply, recordFromHash } from './breaker-hash.js';

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

  it('reads empty values as absent: counts 0, times null', () => {
    expect(recordFromHash('apollo', { state: 'closed', failure_count: '', opened_at: '', updated_at: '4' }, 999)).toEqual(
      closedRecord('apollo', 4),
    );
  });

  it('refuses a state it does not know', () => {
    expect(() => recordFromHash('apollo', { state: 'OPEN' }, 0)).toThrow('unknown breaker state "OPEN"');
  });
});

describe('outcomeFromReply', () => {
  it("decodes the header (the hash's version last) and the record, its values in REPLY_FIELDS order (false when absent), sent as one JSON array", () => {
    const values = REPLY_FIELDS.map((field) => ({ state: 'half_open', probes_in_flight: '1', updated_at: '7' })[field as string] ?? false);
    const outcome = outcomeFromReply('apollo', JSON.stringify(['open', 'half_opened', '1', '', '1', '12', ...values]));
    expect(outcome).toEqual({
      previousState: 'open',
      transition: 'half_opened',
      allowed: true,
      reason: null,
      stored: true,
      version: 12,
      record: { ...closedRecord('apollo', 7), state: 'half_open', probesInFlight: 1 },
    });
  });

  it('decodes a refusal: not allowed, its reason, a record never stored', () => {
    const openValues = REPLY_FIELDS.map((field) => (field === 'state' ? 'open' : false));
    const noValues = REPLY_FIELDS.map(() => false);
    for (const reason of ['open', 'half_open'] as const) {
      expect(outcomeFromReply('apollo', JSON.stringify(['open', '', '0', reason, '0', '0', ...openValues]))).toMatchObject({
        previousState: 'open',
        transition: null,
        allowed: false,
        reason,
        stored: false,
        version: 0,
      });
    }
    expect(outcomeFromReply('apollo', JSON.stringify(['closed', 'opened', '1', 'queue_paused', '1', '3', ...noValues]))).toMatchObject({
      transition: 'opened',
      reason: null,
    });
    expect(() => outcomeFromReply('apollo', JSON.stringify(['closed', 'tripped', '1', '', '1', '3', ...noValues]))).toThrow(
      'unknown breaker transition "tripped"',
    );
  });

  it('refuses a reply of another shape', () => {
    expect(() => outcomeFromReply('apollo', 'OK')).toThrow('unexpected reply from a breaker script');
    expect(() => outcomeFromReply('apollo', ['closed', '', '1', '', '1', '1'])).toThrow('unexpected reply from a breaker script');
    expect(() => outcomeFromReply('apollo', '["closed", ""]')).toThrow('unexpected reply from a breaker script');
    // The record as field/value pairs (the replies' former shape) is not read as values.
    expect(() => outcomeFromReply('apollo', JSON.stringify(['closed', '', '0', '', '1', '1', 'state', 'closed']))).toThrow(
      'unexpected reply from a breaker script',
    );
  });

  it('decodes every field by its position, and the transitions closed and reset', () => {
    const stored: Record<(typeof REPLY_FIELDS)[number], string> = {
      state: 'open',
      failure_count: '5',
      success_count: '1',
      opened_at: '1000',
      next_attempt_at: '61000',
      last_failure_reason: 'HTTP 503',
      trip_count: '2',
      latched: 'true',
      probes_in_flight: '3',
      window_started_at: '900',
      window_requests: '20',
      window_failures: '11',
      updated_at: '1001',
    };
    const values = REPLY_FIELDS.map((field) => stored[field]);
    expect(outcomeFromReply('apollo', JSON.stringify(['open', 'reset', '1', '', '1', '9', ...values])).record).toEqual({
      service: 'apollo',
      state: 'open',
      failureCount: 5,
      successCount: 1,
      openedAt: 1000,
      nextAttemptAt: 61000,
      lastFailureReason: 'HTTP 503',
      tripCount: 2,
      latched: true,
      probesInFlight: 3,
      windowStartedAt: 900,
      windowRequests: 20,
      windowFailures: 11,
      updatedAt: 1001,
    });
    expect(outcomeFromReply('apollo', JSON.stringify(['open', 'reset', '1', '', '1', '9', ...values])).transition).toBe('reset');
    expect(outcomeFromReply('apollo', JSON.stringify(['half_open', 'closed', '1', '', '1', '9', ...values])).transition).toBe('closed');
  });

  it('reads empty values as absent: counts 0, times null, the record stored all the same', () => {
    const values = REPLY_FIELDS.map((field) => (field === 'updated_at' ? '5' : field === 'state' ? 'closed' : ''));
    expect(outcomeFromReply('apollo', JSON.stringify(['closed', '', '1', '', '1', '9', ...values])).record).toEqual({
      ...closedRecord('apollo', 5),
      lastFailureReason: '',
    });
    // One value is enough for a stored record: here only the last.
    const onlyUpdated = REPLY_FIELDS.map((field) => (field === 'updated_at' ? '9' : false));
    expect(outcomeFromReply('apollo', JSON.stringify(['closed', '', '1', '', '1', '9', ...onlyUpdated])).record).toEqual(
      closedRecord('apollo', 9),
    );
  });

  it('refuses a reply one value short or long, a header that is not text, or a value neither text nor absent', () => {
    const values = REPLY_FIELDS.map(() => false);
    const header = ['closed', '', '1', '', '1', '1'];
    expect(() => outcomeFromReply('apollo', JSON.stringify([...header, ...values.slice(1)]))).toThrow('unexpected reply');
    expect(() => outcomeFromReply('apollo', JSON.stringify([...header, ...values, false]))).toThrow('unexpected reply');
    expect(() => outcomeFromReply('apollo', JSON.stringify(['closed', '', false, '', '1', '1', ...values]))).toThrow('unexpected reply');
    expect(() => outcomeFromReply('apollo', JSON.stringify([...header, 7, ...values.slice(1)]))).toThrow('unexpected reply');
    expect(() => outcomeFromReply('apollo', JSON.stringify([...header, null, ...values.slice(1)]))).toThrow('unexpected reply');
    expect(() => outcomeFromReply('apollo', [...header, ...values])).toThrow('unexpected reply');
  });

  it('reads a reply with no value at all as a breaker never stored', () => {
    const outcome = outcomeFromReply('apollo', JSON.stringify(['closed', '', '1', '', '0', '0', ...REPLY_FIELDS.map(() => false)]));
    expect(outcome.record).toEqual(closedRecord('apollo', 0));
  });
});
