/**
 * The breaker record as a Redis hash (snake_case fields, `state` and `failure_count` first among them,
 * as an operator's `HGETALL circuit_breaker:<service>` shows them), and the script arguments that carry a policy. Null fields are absent from the hash.
 */
import { BREAKER_STATES, closedRecord } from '@breakwater/core';
import type { BreakerPolicy, BreakerRecord, BreakerState, BreakerTransition, PermitResult } from '@breakwater/core';

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

/** ARGV[5..11] of every breaker script. */
export function policyArguments(policy: BreakerPolicy | null): string[] {
  if (!policy) return ['', '', '', '', '', '', ''];
  const rate = policy.failureRate;
  return [
    String(policy.failureThreshold),
    String(policy.resetTimeoutMs),
    String(policy.halfOpenMaxProbes),
    String(policy.successThreshold),
    rate ? String(rate.threshold) : '',
    rate ? String(rate.minimumRequests) : '',
    rate ? String(rate.windowMs) : '',
  ];
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
}

/** Decodes a breaker script's reply (see breaker-scripts.ts): a JSON array of strings. */
export function outcomeFromReply(service: string, reply: unknown): ScriptOutcome {
  const items: unknown = typeof reply === 'string' ? parseJson(reply) : undefined;
  if (!Array.isArray(items) || items.length < 5 || !items.every((item) => typeof item === 'string')) {
    throw new Error(`unexpected reply from a breaker script: ${JSON.stringify(reply)}`);
  }
  const [previousState, transition, allowed, reason, stored] = items as string[];
  const hash: Record<string, string> = {};
  for (let i = 5; i + 1 < items.length; i += 2) hash[items[i] as string] = items[i + 1] as string;
  const record = recordFromHash(service, hash, 0);
  return {
    record,
    previousState: breakerState(previousState),
    transition: transitionFrom(transition!),
    allowed: allowed === '1',
    reason: reason === 'open' || reason === 'half_open' ? reason : null,
    stored: stored === '1',
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
