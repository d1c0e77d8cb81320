/**
 * The breaker record as a Redis hash (snake_case fields, `state` and `failure_count` first among them,
 * as an operator's `HGETALL circuit_breaker:<service>` shows them), and the scripts' replies. Null fields are absent from the hash.
 */
import { BREAKER_STATES, closedRecord } from '@breakwater/core';
import type { BreakerRecord, BreakerState, BreakerTransition, PermitResult } from '@breakwater/core';

export type BreakerHash = Readonly<Record<string, string>>;

function integer(hash: BreakerHash, field: string): number {
  const value = hash[field];
  return value === undefined || value === '' ? 0 : Number(value);
}

function optionalNumber(hash: BreakerHash, field: string): number | null {
  const value = hash[field];
  return value === undefined || value === '' ? null : Number(value);
}

function breakerState(value: string | undefined): BreakerState {
  if (value === undefined) return 'closed';
  if ((BREAKER_STATES as readonly string[]).includes(value)) return value as BreakerState;
  throw new Error(`unknown breaker state "${value}" in Redis`);
}

/** An empty hash is a breaker never stored: closed, zero counts, as of `now`. */
export function recordFromHash(service: string, hash: BreakerHash, now: number): BreakerRecord {
  if (Object.keys(hash).length === 0) return closedRecord(service, now);
  return {
    service,
    state: breakerState(hash.state),
    failureCount: integer(hash, 'failure_count'),
    successCount: integer(hash, 'success_count'),
    openedAt: optionalNumber(hash, 'opened_at'),
    nextAttemptAt: optionalNumber(hash, 'next_attempt_at'),
    lastFailureReason: hash.last_failure_reason ?? null,
    tripCount: integer(hash, 'trip_count'),
    latched: hash.latched === 'true',
    probesInFlight: integer(hash, 'probes_in_flight'),
    windowStartedAt: optionalNumber(hash, 'window_started_at'),
    windowRequests: integer(hash, 'window_requests'),
    windowFailures: integer(hash, 'window_failures'),
    updatedAt: optionalNumber(hash, 'updated_at') ?? now,
  };
}

const TRANSITIONS: readonly string[] = ['opened', 'half_opened', 'closed', 'reset'];

export function transitionFrom(value: string): BreakerTransition {
  if (value === '') return null;
  if (TRANSITIONS.includes(value)) return value as BreakerTransition;
  throw new Error(`unknown breaker transition "${value}" from Redis`);
}

export interface ScriptOutcome extends PermitResult {
  /** False when the breaker was never written (its record is the closed default). */
  stored: boolean;
  /** The hash's version after the script: how many writes it has seen (0 for none, or before versions). */
  version: number;
}

/**
 * The record's fields in the order a breaker script's reply lists their values (the prelude's FIELDS): the reply
 * carries no field names, so it is shorter to build, send and read.
 */
export const REPLY_FIELDS = [
  'state',
  'failure_count',
  'success_count',
  'opened_at',
  'next_attempt_at',
  'last_failure_reason',
  'trip_count',
  'latched',
  'probes_in_flight',
  'window_started_at',
  'window_requests',
  'window_failures',
  'updated_at',
] as const;

const HEADER_LENGTH = 6;
const REPLY_LENGTH = HEADER_LENGTH + REPLY_FIELDS.length;

/** A value of the reply's record: a string, or false for a field the hash does not have. */
type ReplyValue = string | false;

function replyInteger(value: ReplyValue): number {
  return value === false || value === '' ? 0 : Number(value);
}

function replyOptionalNumber(value: ReplyValue): number | null {
  return value === false || value === '' ? null : Number(value);
}

/**
 * Decodes a breaker script's reply (see includes/breaker-prelude.lua): one JSON array, the header (previous state,
 * transition, allowed, reason, stored, version) then the record's values in REPLY_FIELDS order, false where a field is absent.
 * It is read on every failure, so it is read positionally, with no intermediate hash.
 */
export function outcomeFromReply(service: string, reply: unknown): ScriptOutcome {
  const items: unknown = typeof reply === 'string' ? parseJson(reply) : undefined;
  if (!isReply(items)) throw new Error(`unexpected reply from a breaker script: ${JSON.stringify(reply)}`);
  const [previousState, transition, allowed, reason, stored, version] = items as string[];
  return {
    record: recordFromReply(service, items),
    previousState: breakerState(previousState),
    transition: transitionFrom(transition!),
    allowed: allowed === '1',
    reason: reason === 'open' || reason === 'half_open' ? reason : null,
    stored: stored === '1',
    version: Number(version),
  };
}

function isReply(items: unknown): items is ReplyValue[] {
  if (!Array.isArray(items) || items.length !== REPLY_LENGTH) return false;
  for (let i = 0; i < REPLY_LENGTH; i++) {
    const item: unknown = items[i];
    if (typeof item !== 'string' && (i < HEADER_LENGTH || item !== false)) return false;
  }
  return true;
}

/** The record from a reply's values; none at all is a breaker never stored (closed, as of 0), as recordFromHash reads it. */
function recordFromReply(service: string, items: readonly ReplyValue[]): BreakerRecord {
  const v = (field: number) => items[HEADER_LENGTH + field]!;
  let any = false;
  for (let i = HEADER_LENGTH; i < REPLY_LENGTH && !any; i++) any = items[i] !== false;
  if (!any) return closedRecord(service, 0);
  const state = v(0);
  const reason = v(5);
  return {
    service,
    state: breakerState(state === false ? undefined : state),
    failureCount: replyInteger(v(1)),
    successCount: replyInteger(v(2)),
    openedAt: replyOptionalNumber(v(3)),
    nextAttemptAt: replyOptionalNumber(v(4)),
    lastFailureReason: reason === false ? null : reason,
    tripCount: replyInteger(v(6)),
    latched: v(7) === 'true',
    probesInFlight: replyInteger(v(8)),
    windowStartedAt: replyOptionalNumber(v(9)),
    windowRequests: replyInteger(v(10)),
    windowFailures: replyInteger(v(11)),
    updatedAt: replyOptionalNumber(v(12)) ?? 0,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
