/**
 * The breaker engine: asks the store (which applies the pure rules atomically), announces
 * transitions as events, and runs the pause cascade on every transition into `open`.
 */
import type { EventEmitter } from 'eventemitter3';
import { runAbortable } from './abortable-call.js';
import { announceTransition } from './breaker-announcements.js';
import { successIsNoop } from './breaker-transitions.js';
import type { FailureInput } from './breaker-transitions.js';
import type { AllowDecision, BreakerActionOptions, Breakers, ExecuteOptions } from './breakwater.js';
import { CallDeadlines } from './call-deadlines.js';
import { checkExecuteOptions } from './execute-options.js';
import { DecisionClock } from './decision-clock.js';
import type { BreakerRecord } from './domain.js';
import { CallTimeoutError, CircuitOpenError, InvalidOptionsError, UnknownServiceError, isBreakwaterError } from './errors.js';
import { settleStrayAnswer } from './guard-port.js';
import type { BreakwaterEvents } from './events.js';
import type { Logger } from './logger.js';
import { NEVER_ABORTED } from './never-aborted-signal.js';
import type { BreakerPolicy } from './policy.js';
import type { CircuitBreakerStore, QueueStore } from './ports.js';

export interface BreakerEngineDeps {
  services: readonly string[];
  breakerStore: CircuitBreakerStore;
  queueStore: QueueStore;
  policy: BreakerPolicy;
  clock: () => number;
  events: EventEmitter<BreakwaterEvents>;
  logger: Logger;
  /**
   * The pause cascade; awaited, so a trip has paused everything when it returns. One that fails half-way
   * (a store did not answer) is completed by the reconciler.
   */
  onOpened: (service: string, record: BreakerRecord) => Promise<void>;
}

const ALLOWED: AllowDecision = Object.freeze({ allowed: true, reason: null });
const NO_OPTIONS: ExecuteOptions = Object.freeze({});

/** By default every error counts, and an error carrying `retryAfterMs` (a 429) holds the breaker open that long. */
export function defaultClassifyError(error: unknown): FailureInput | null {
  if (isBreakwaterError(error) && error.code === 'CIRCUIT_OPEN') return null;
  const reason = error instanceof Error ? error.message : String(error);
  const retryAfterMs = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof retryAfterMs === 'number' && retryAfterMs >= 0 ? { reason, retryAfterMs } : { reason };
}

export class BreakerEngine implements Breakers {
  private readonly known: ReadonlySet<string>;
  private readonly deadlines = new CallDeadlines();
  private readonly decisionClock = new DecisionClock();

  // The hot path's collaborators, kept at hand.
  private readonly breakerStore: CircuitBreakerStore;
  private readonly queueStore: QueueStore;
  private readonly policy: BreakerPolicy;

  constructor(private readonly deps: BreakerEngineDeps) {
    this.known = new Set(deps.services);
    this.breakerStore = deps.breakerStore;
    this.queueStore = deps.queueStore;
    this.policy = deps.policy;
  }

  async shouldAllowRequest(service: string): Promise<AllowDecision> {
    return this.allowedLocally(service) ? ALLOWED : this.askStores(service);
  }

  /** The decision the stores make when this instance does not know enough to make it alone. */
  private async askStores(service: string): Promise<AllowDecision> {
    this.assertService(service);
    const { breakerStore, queueStore, clock } = this.deps;
    const [record, [queue]] = await Promise.all([breakerStore.get(service, clock()), queueStore.getStates([service])]);
    if (record.state === 'closed') {
      // A closed breaker whose queue is still paused waits for resumeQueue, the only way back.
      return queue?.state === 'PAUSED' ? { allowed: false, reason: 'queue_paused' } : ALLOWED;
    }
    // Open or half-open: only a probe may go through, and taking one is atomic in the store.
    const permit = await breakerStore.acquirePermit(service, this.deps.policy, clock());
    announceTransition(this.deps, service, permit, false);
    return permit.allowed ? ALLOWED : { allowed: false, reason: permit.reason };
  }

  async recordSuccess(service: string): Promise<BreakerRecord> {
    this.assertService(service);
    const result = await this.deps.breakerStore.recordSuccess(service, this.deps.policy, this.deps.clock());
    announceTransition(this.deps, service, result, false);
    return result.record;
  }

  async recordFailure(service: string, failure: FailureInput = {}): Promise<BreakerRecord> {
    this.assertService(service);
    const result = await this.deps.breakerStore.recordFailure(service, failure, this.deps.policy, this.deps.clock());
    announceTransition(this.deps, service, result, false);
    if (result.transition === 'opened') await this.deps.onOpened(service, result.record);
    return result.record;
  }

  execute<T>(service: string, fn: (signal: AbortSignal) => Promise<T>, options: ExecuteOptions = NO_OPTIONS): Promise<T> {
    if (options !== NO_OPTIONS || typeof fn !== 'function') {
      try {
        if (typeof fn !== 'function') throw new InvalidOptionsError('execute needs a function: (signal) => Promise<result>');
        checkExecuteOptions(options);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    // The hot path: no timeout, no caller's signal, a closed breaker known here. Decided without awaiting
    // anything, and not even an async function (its own machinery costs more than the rest of this path).
    if (options.timeoutMs !== undefined || options.signal !== undefined || !this.allowedLocally(service)) {
      return this.executeWithStores(service, fn, options);
    }
    let call: Promise<T>;
    try {
      // Nothing can abort this call: it needs no signal of its own.
      call = Promise.resolve(fn(NEVER_ABORTED));
    } catch (error) {
      return this.failed(service, error, options);
    }
    return call.then(
      (result) => this.succeeded(service, result),
      (error: unknown) => this.failed(service, error, options),
    );
  }

  /** `execute` for every call off the hot path: the stores decide, and the call may be aborted. */
  private async executeWithStores<T>(service: string, fn: (signal: AbortSignal) => Promise<T>, options: ExecuteOptions): Promise<T> {
    if (!this.allowedLocally(service)) {
      const decision = await this.askStores(service);
      if (!decision.allowed) throw new CircuitOpenError(service, decision.reason ?? 'open');
    }
    let result: T;
    try {
      result =
        options.timeoutMs === undefined && options.signal === undefined
          ? await fn(NEVER_ABORTED)
          : await runAbortable(service, fn, options, this.deadlines);
    } catch (error) {
      return this.failed(service, error, options);
    }
    return this.succeeded(service, result);
  }

  /** The call succeeded: record it unless that changes nothing. A store that cannot record it must not turn it into a failure (the work is done). */
  private succeeded<T>(service: string, result: T): T | Promise<T> {
    // A success that changes nothing (the breaker closed and clean, as known here) writes nothing.
    if (this.successChangesNothing(service)) return result;
    return this.recordSuccess(service).then(
      () => result,
      (storeError: unknown) => {
        this.storeFailed(storeError, service, 'recordSuccess');
        return result;
      },
    );
  }

  /** The call failed: record what it says of the service, then hand the caller its own error, whatever recording cost us. */
  private async failed(service: string, error: unknown, options: ExecuteOptions): Promise<never> {
    // A call we aborted ourselves (worker stopping) says nothing about the service.
    const abortedByCaller = options.signal?.aborted === true && !isTimeoutOf(error, service, options.timeoutMs);
    const failure = abortedByCaller ? null : (options.classifyError ?? defaultClassifyError)(error);
    // (The reconciler completes a cascade that a store failure cut short.)
    if (failure)
      await this.recordFailure(service, failure).catch((storeError: unknown) => this.storeFailed(storeError, service, 'recordFailure'));
    throw error;
  }

  async trip(service: string, reason: string, options: BreakerActionOptions = {}): Promise<BreakerRecord> {
    this.assertService(service);
    // Operators read it on the dashboard and in the history: a trip must say why.
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new InvalidOptionsError('A trip needs a reason: a non-empty string saying why the breaker is forced open');
    }
    const requestedBy = options.requestedBy ?? null;
    const result = await this.deps.breakerStore.trip(service, reason, this.deps.policy, this.deps.clock());
    announceTransition(this.deps, service, result, false, requestedBy);
    this.deps.events.emit('breaker:tripped', { service, reason, requestedBy, record: result.record, from: result.previousState });
    this.deps.logger.warn({ service, reason, requestedBy }, `Circuit breaker for ${service} tripped manually: ${reason}`);
    // An operator's trip always (re)runs the cascade: it is idempotent, and they asked for everything paused.
    await this.deps.onOpened(service, result.record);
    return result.record;
  }

  async reset(service: string, options: BreakerActionOptions = {}): Promise<BreakerRecord> {
    this.assertService(service);
    const result = await this.deps.breakerStore.reset(service, this.deps.clock());
    announceTransition(this.deps, service, result, false, options.requestedBy ?? null);
    this.deps.logger.info(
      { service, requestedBy: options.requestedBy ?? null },
      `Circuit breaker for ${service} reset to closed (queues and campaigns stay paused until a queue resume)`,
    );
    return result.record;
  }

  async get(service: string): Promise<BreakerRecord> {
    this.assertService(service);
    return this.deps.breakerStore.get(service, this.deps.clock());
  }

  async list(): Promise<BreakerRecord[]> {
    return this.deps.breakerStore.list(this.deps.services, this.deps.clock());
  }

  /**
   * A call may go through on what this instance knows without asking (fail-safe: anything it does not know
   * takes the full path): the breaker closed and the queue ACTIVE, both from the stores' synchronous fast paths.
   */
  private allowedLocally(service: string): boolean {
    // An unknown service is not known here either: the full path refuses it.
    if (!this.known.has(service)) return false;
    const { breakerStore, queueStore, decisionClock } = this;
    decisionClock.start();
    try {
      const record = breakerStore.peek?.(service, decisionClock.now);
      if (record !== null && record?.state !== 'closed') {
        settleStrayAnswer(record);
        return false;
      }
      const queue = queueStore.peekState?.(service, decisionClock.now);
      if (queue === 'ACTIVE') return true;
      settleStrayAnswer(queue);
    } catch {
      // A fast path that fails knows nothing: the stores decide (and report what failed).
    }
    return false;
  }

  /**
   * True when recording a success would change nothing, as far as this instance knows without asking. Its
   * knowledge is aged as of the latest decision (this call's or a later one's), so no clock is read after the
   * call: at worst a success goes unrecorded that a lost notification hid, which only keeps failures counted.
   */
  private successChangesNothing(service: string): boolean {
    try {
      const record = this.breakerStore.peek?.(service, this.decisionClock.now);
      // null: never written, so closed with zero counts.
      if (record === null) return !this.policy.failureRate;
      if (record !== undefined && successIsNoop(record, this.policy)) return true;
      settleStrayAnswer(record);
    } catch {
      // Not known: the store records the success.
    }
    return false;
  }

  /** A store failure that must not reach the caller: logged and emitted, never swallowed. */
  private storeFailed(error: unknown, service: string, operation: string): void {
    this.deps.logger.error({ err: error, service }, `Could not record the outcome of a call to ${service} (${operation})`);
    this.deps.events.emit('store:error', { error, during: `execute:${operation}`, service });
  }

  private assertService(service: string): void {
    if (!this.known.has(service)) throw new UnknownServiceError(service);
  }
}

/** Whether `error` is the timeout of this very call (not the caller's abort, nor an error `fn` threw). */
function isTimeoutOf(error: unknown, service: string, timeoutMs: number | undefined): boolean {
  return error instanceof CallTimeoutError && error.service === service && error.timeoutMs === timeoutMs;
}
