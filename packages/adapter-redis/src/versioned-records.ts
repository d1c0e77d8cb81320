/**
 * The breaker records this instance last read or wrote, each with the version its hash had then (every
 * write of a breaker hash counts one more, see includes/breaker-prelude.lua). A record held at the hash's
 * current version is the current record, so a failure that by the record held only counts sends its version,
 * with the count and version it makes, and when the hash still has that version Redis writes those and answers
 * 1 (breaker-record-failure.lua's fast path): less to read, build, send and decode on the path that runs on
 * every failure.
 *
 * Unlike the near-cache, nothing here is served on its own: Redis checks the version on every use, so a
 * record held here may be old but is never taken for the current one.
 */
import type { BreakerPolicy, BreakerRecord } from '@breakwater/core';
import type { ScriptOutcome } from './breaker-hash.js';
import { copyRecord } from './breaker-record-copy.js';

export interface VersionedRecord {
  readonly record: BreakerRecord;
  readonly version: number;
}

export class VersionedRecords {
  private readonly records = new Map<string, VersionedRecord>();

  get(service: string): VersionedRecord | undefined {
    return this.records.get(service);
  }

  /**
   * Keeps a record as a reply gave it, with its hash's version; the latest reply wins. (Even if a reply's
   * handling were overtaken by an older one's, that only makes the version sent next one that no longer matches.)
   */
  keep(service: string, record: BreakerRecord, version: number): void {
    // 0: a hash without versions (or no hash), which no version sent can match.
    if (version > 0) this.records.set(service, { record, version });
    else this.records.delete(service);
  }

  /**
   * Drops what is held for a service changed elsewhere. The version check alone would catch it, save in two cases
   * this closes: a writer from before versions changed the hash, or Redis lost its state and the new hash's
   * versions, counted from 1 again, reached the one held.
   */
  forget(service: string): void {
    this.records.delete(service);
  }

  /** Drops everything: the changes announced while the subscriber was away are not known. */
  forgetAll(): void {
    this.records.clear();
  }
}

/**
 * Whether a failure only counts on this record: closed, and still closed after it (below the threshold, with no
 * failure-rate window whose fields it would move). applyFailure's last branch, the one the fast path writes.
 */
export function failureOnlyCounts(record: BreakerRecord, policy: BreakerPolicy): boolean {
  return record.state === 'closed' && policy.failureRate === undefined && record.failureCount + 1 < policy.failureThreshold;
}

/**
 * The fast path's answer (1) as an outcome: the record held when the failure was sent, with one more failure,
 * `updatedAt` now and the reason when one was given, at the next version. It stays closed: that is the only
 * case the fast path answers.
 */
export function countedFailure(held: VersionedRecord, now: number, reason: string | undefined): ScriptOutcome {
  const record = copyRecord(held.record, held.record.failureCount + 1, reason ?? held.record.lastFailureReason, now);
  return { record, previousState: 'closed', transition: null, allowed: false, reason: null, stored: true, version: held.version + 1 };
}
