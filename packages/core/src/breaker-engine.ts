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
import type { CircuitBreakerStore, LocalBreakerView, LocalQueueView, QueueStore } from './ports.js';

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

/**
 * What the hot path needs of one configured service, resolved once when the engine is built: the stores' views of it
 * (looking the service up in each store on every call would cost as much as the rest of the decision) and the
 * handlers that settle its calls (made once, not per call).
 */
interface HotPath {
  readonly breaker: LocalBreakerView | undefined;
  readonly queue: LocalQueueView | undefined;
  readonly onSuccess: (result: unknown) => unknown;
  readonly onFailure: (error: unknown) => Promise<never>;
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
  /** One per configured service: also the set of the services this engine knows. */
  private readonly hotPaths: ReadonlyMap<string, HotPath>;
  private readonly deadlines = new CallDeadlines();
  private readonly decisionClock = new DecisionClock();
  private readonly policy: BreakerPolicy;

  constructor(private readonly deps: BreakerEngineDeps) {
    this.policy = deps.policy;
    this.hotPaths = new Map(deps.services.map((service) => [service, this.hotPathOf(service)]));
  }

  private hotPathOf(service: string): HotPath {
    const path: HotPath = {
      breaker: localViewOf(this.deps.breakerStore, service),
      queue: localViewOf(this.deps.queueStore, service),
      onSuccess: (result) => this.succeeded(path, service, result),
      onFailure: (error) => this.failed(service, error, NO_OPTIONS),
    };
    return path;
  }

  async shouldAllowRequest(service: string): Promise<AllowDecision> {
    return this.allowedLocally(this.hotPaths.get(service)) ? ALLOWED : this.askStores(service);
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
    // The hot path: no options, a closed breaker known here. Decided without awaiting anything, and not even an
    // async function (its own machinery costs more than the rest of this path).
    if (options === NO_OPTIONS && typeof fn === 'function') {
      const path = this.hotPaths.get(service);
      if (this.allowedLocally(path)) return callThrough(fn, path.onSuccess as (result: T) => T, path.onFailure);
    }
    return this.executeWith(service, fn, options);
  }

  /** `execute` with options (or something wrong): checked; then a call that cannot be aborted still skips the stores when it can. */
  private executeWith<T>(service: string, fn: (signal: AbortSignal) => Promise<T>, options: ExecuteOptions): Promise<T> {
    try {
      if (typeof fn !== 'function') throw new InvalidOptionsError('execute needs a function: (signal) => Promise<result>');
      checkExecuteOptions(options);
    } catch (error) {
      return Promise.reject(error);
    }
    const path = this.hotPaths.get(service);
    const allowed = this.allowedLocally(path);
    if (!allowed || options.timeoutMs !== undefined || options.signal !== undefined) {
      return this.executeWithStores(service, fn, options, allowed);
    }
    return callThrough(
      fn,
      (result) => this.succeeded(path, service, result),
      (error) => this.failed(service, error, options),
    );
  }

  /** `execute` for every call off the hot path: the stores decide unless `allowedHere`, and the call may be aborted. */
  private async executeWithStores<T>(
    service: string,
    fn: (signal: AbortSignal) => Promise<T>,
    options: ExecuteOptions,
    allowedHere: boolean,
  ): Promise<T> {
    if (!allowedHere) {
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
    return this.succeeded(this.hotPaths.get(service), service, result);
  }

  /** The call succeeded: record it unless that changes nothing. A store that cannot record it must not turn it into a failure (the work is done). */
  private succeeded<T>(path: HotPath | undefined, service: string, result: T): T | Promise<T> {
    // A success that changes nothing (the breaker closed and clean, as known here) writes nothing.
    if (this.successChangesNothing(path)) return result;
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
   * takes the full path): the breaker closed and the queue ACTIVE, both from the stores' local views.
   */
  private allowedLocally(path: HotPath | undefined): path is HotPath {
    // An unknown service has no hot path: the full path refuses it.
    if (path === undefined) return false;
    const { decisionClock } = this;
    decisionClock.start();
    try {
      const record = path.breaker?.peek(decisionClock.now);
      if (record !== null && record?.state !== 'closed') {
        settleStrayAnswer(record);
        return false;
      }
      const queue = path.queue?.peek(decisionClock.now);
      if (queue === 'ACTIVE') return true;
      settleStrayAnswer(queue);
    } catch {
      // A view that fails knows nothing: the stores decide (and report what failed).
    }
    return false;
  }

  /**
   * True when recording a success would change nothing, as far as this instance knows without asking. Its
   * knowledge is aged as of the latest decision (this call's or a later one's), so no clock is read after the
   * call: at worst a success goes unrecorded that a lost notification hid, which only keeps failures counted.
   */
  private successChangesNothing(path: HotPath | undefined): boolean {
    try {
      const record = path?.breaker?.peek(this.decisionClock.now);
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
    if (!this.hotPaths.has(service)) throw new UnknownServiceError(service);
  }
}

/** Calls `fn` (which nothing can abort, so it needs no signal of its own) and settles its outcome, a throw included. */
function callThrough<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  onSuccess: (result: T) => T | PromiseLike<T>,
  onFailure: (error: unknown) => Promise<never>,
): Promise<T> {
  let call: Promise<T>;
  try {
    call = Promise.resolve(fn(NEVER_ABORTED));
  } catch (error) {
    return onFailure(error);
  }
  return call.then(onSuccess, onFailure);
}

/** A store's view of one service, if it offers one; one it cannot give (it throws, or answers no view) is none. */
function localViewOf<V extends { peek: unknown }>(store: { localView?(service: string): V }, service: string): V | undefined {
  try {
    const view = store.localView?.(service);
    return typeof view?.peek === 'function' ? view : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `error` is the timeout of this very call (not the caller's abort, nor an error `fn` threw). */
function isTimeoutOf(error: unknown, service: string, timeoutMs: number | undefined): boolean {
  return error instanceof CallTimeoutError && error.service === service && error.timeoutMs === timeoutMs;
}
