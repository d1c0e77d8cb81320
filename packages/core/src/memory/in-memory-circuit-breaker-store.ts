/**
 * The embedded CircuitBreakerStore, and the reference behaviour for every other one.
 * Each method reads, applies the pure rule of `breaker-transitions.ts` and writes back
 * without awaiting anything in between, which is what makes it atomic in one process.
 *
 * A new store holds no state, like a Redis that lost its own: until `initialize` it throws
 * `StoreStateLostError`, so a process that starts again is rebuilt from the durable record too.
 */
import {
  applyFailure,
  applyPermit,
  applyReset,
  applyRestore,
  applySuccess,
  applyTrip,
  closedRecord,
  successIsNoop,
} from '../breaker-transitions.js';
import type { FailureInput, PermitResult, TransitionResult } from '../breaker-transitions.js';
import type { BreakerRecord } from '../domain.js';
import { StoreStateLostError } from '../errors.js';
import type { BreakerPolicy } from '../policy.js';
import type { CircuitBreakerStore, InitializeStoreInput, LocalBreakerView } from '../ports.js';

/** One service's stored record, null until one is written; held by the views, so they never look the service up. */
interface RecordCell {
  record: BreakerRecord | null;
}

export class InMemoryCircuitBreakerStore implements CircuitBreakerStore {
  readonly #cells = new Map<string, RecordCell>();
  #initialized = false;

  async initialize(input: InitializeStoreInput): Promise<boolean> {
    if (this.#initialized) return false;
    const reasons = new Map(input.paused.map((paused) => [paused.service, paused.reason]));
    for (const service of new Set([...input.services, ...reasons.keys()])) {
      const cell = this.#cell(service);
      cell.record = applyRestore(cell.record, service, reasons.get(service) ?? null, input.now);
    }
    this.#initialized = true;
    return true;
  }

  async get(service: string, now: number): Promise<BreakerRecord> {
    return { ...this.#current(service, now) };
  }

  async list(services: readonly string[], now: number): Promise<BreakerRecord[]> {
    return services.map((service) => ({ ...this.#current(service, now) }));
  }

  /** What `get` would answer, without awaiting: the stored record itself (records are replaced, never changed). */
  localView(service: string): LocalBreakerView {
    const cell = this.#cell(service);
    return { peek: () => (this.#initialized ? cell.record : undefined) };
  }

  async recordFailure(service: string, failure: FailureInput, policy: BreakerPolicy, now: number): Promise<TransitionResult> {
    return this.#commit(applyFailure(this.#current(service, now), failure, policy, now));
  }

  async recordSuccess(service: string, policy: BreakerPolicy, now: number): Promise<TransitionResult> {
    const record = this.#current(service, now);
    // Most calls succeed on a healthy breaker: skip the write, as a remote store skips the round trip.
    if (successIsNoop(record, policy)) return { record: { ...record }, previousState: record.state, transition: null };
    return this.#commit(applySuccess(record, policy, now));
  }

  async acquirePermit(service: string, policy: BreakerPolicy, now: number): Promise<PermitResult> {
    return this.#commit(applyPermit(this.#current(service, now), policy, now));
  }

  async trip(service: string, reason: string, policy: BreakerPolicy, now: number): Promise<TransitionResult> {
    return this.#commit(applyTrip(this.#current(service, now), reason, policy, now));
  }

  async reset(service: string, now: number): Promise<TransitionResult> {
    return this.#commit(applyReset(this.#current(service, now), now));
  }

  #current(service: string, now: number): BreakerRecord {
    if (!this.#initialized) throw new StoreStateLostError('CircuitBreakerStore');
    return this.#cells.get(service)?.record ?? closedRecord(service, now);
  }

  /** Stores the new record and hands the caller its own copy, so nobody outside can edit the stored one. */
  #commit<R extends TransitionResult>(result: R): R {
    this.#cell(result.record.service).record = { ...result.record };
    return { ...result, record: { ...result.record } };
  }

  #cell(service: string): RecordCell {
    let cell = this.#cells.get(service);
    if (!cell) this.#cells.set(service, (cell = { record: null }));
    return cell;
  }
}
