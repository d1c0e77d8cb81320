/**
 * The breaker engine: asks the store (which applies the pure rules atomically), announces
 * transitions as events, and runs the pause cascade on every transition into `open`.
 */
import type { EventEmitter } from 'eventemitter3';
import type { FailureInput, TransitionResult } from './breaker-transitions.js';
import type { AllowDecision, BreakerActionOptions, Breakers, ExecuteOptions } from './breakwater.js';
import type { BreakerRecord } from './domain.js';
import { CallTimeoutError, CircuitOpenError, InvalidOptionsError, UnknownServiceError, isBreakwaterError } from './errors.js';
import type { BreakwaterEvents } from './events.js';
import type { Logger } from './logger.js';
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

/** By default every error counts, and an error carrying `retryAfterMs` (a 429) holds the breaker open that long. */
export function defaultClassifyError(error: unknown): FailureInput | null {
  if (isBreakwaterError(error) && error.code === 'CIRCUIT_OPEN') return null;
  const reason = error instanceof Error ? error.message : String(error);
  const retryAfterMs = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof retryAfterMs === 'number' && retryAfterMs >= 0 ? { reason, retryAfterMs } : { reason };
}

export class BreakerEngine implements Breakers {
  private readonly known: ReadonlySet<string>;

  constructor(private readonly deps: BreakerEngineDeps) {
    this.known = new Set(deps.services);
  }

  async shouldAllowRequest(service: string): Promise<AllowDecision> {
    this.assertService(service);
    const { breakerStore, queueStore, clock } = this.deps;
    const [record, [queue]] = await Promise.all([breakerStore.get(service, clock()), queueStore.getStates([service])]);
    if (record.state === 'closed') {
      // A closed breaker whose queue is still paused waits for resumeQueue, the only way back.
      return queue?.state === 'PAUSED' ? { allowed: false, reason: 'queue_paused' } : ALLOWED;
    }
    // Open or half-open: only a probe may go through, and taking one is atomic in the store.
    const permit = await breakerStore.acquirePermit(service, this.deps.policy, clock());
    this.announce(service, permit, false);
    return permit.allowed ? ALLOWED : { allowed: false, reason: permit.reason };
  }

  async recordSuccess(service: string): Promise<BreakerRecord> {
    this.assertService(service);
    const result = await this.deps.breakerStore.recordSuccess(service, this.deps.policy, this.deps.clock());
    this.announce(service, result, false);
    return result.record;
  }

  async recordFailure(service: string, failure: FailureInput = {}): Promise<BreakerRecord> {
    this.assertService(service);
    const result = await this.deps.breakerStore.recordFailure(service, failure, this.deps.policy, this.deps.clock());
    this.announce(service, result, false);
    if (result.transition === 'opened') await this.deps.onOpened(service, result.record);
    return result.record;
  }

  async execute<T>(service: string, fn: (signal: AbortSignal) => Promise<T>, options: ExecuteOptions = {}): Promise<T> {
    const decision = await this.shouldAllowRequest(service);
    if (!decision.allowed) throw new CircuitOpenError(service, decision.reason ?? 'open');
    const classify = options.classifyError ?? defaultClassifyError;
    const { signal, dispose } = callSignal(service, options);
    let result: T;
    try {
      result = await abortable(fn(signal), signal);
    } catch (error) {
      // A call we aborted ourselves (worker stopping) says nothing about the service.
      const abortedByCaller = options.signal?.aborted === true && signal.reason === options.signal.reason;
      const failure = abortedByCaller ? null : classify(error);
      // The caller gets its own error, whatever recording it costs us (the reconciler completes a cascade cut short).
      if (failure)
        await this.recordFailure(service, failure).catch((storeError: unknown) => this.storeFailed(storeError, service, 'recordFailure'));
      throw error;
    } finally {
      dispose();
    }
    // The call succeeded: a store that cannot record it must not turn it into a failure (the work is done).
    await this.recordSuccess(service).catch((storeError: unknown) => this.storeFailed(storeError, service, 'recordSuccess'));
    return result;
  }

  async trip(service: string, reason: string, options: BreakerActionOptions = {}): Promise<BreakerRecord> {
    this.assertService(service);
    // Operators read it on the dashboard and in the history: a trip must say why.
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new InvalidOptionsError('A trip needs a reason: a non-empty string saying why the breaker is forced open');
    }
    const requestedBy = options.requestedBy ?? null;
    const result = await this.deps.breakerStore.trip(service, reason, this.deps.policy, this.deps.clock());
    this.announce(service, result, false, requestedBy);
    this.deps.events.emit('breaker:tripped', { service, reason, requestedBy, record: result.record, from: result.previousState });
    this.deps.logger.warn({ service, reason, requestedBy }, `Circuit breaker for ${service} tripped manually: ${reason}`);
    // An operator's trip always (re)runs the cascade: it is idempotent, and they asked for everything paused.
    await this.deps.onOpened(service, result.record);
    return result.record;
  }

  async reset(service: string, options: BreakerActionOptions = {}): Promise<BreakerRecord> {
    this.assertService(service);
    const result = await this.deps.breakerStore.reset(service, this.deps.clock());
    this.announce(service, result, false, options.requestedBy ?? null);
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

  /** A store failure that must not reach the caller: logged and emitted, never swallowed. */
  private storeFailed(error: unknown, service: string, operation: string): void {
    this.deps.logger.error({ err: error, service }, `Could not record the outcome of a call to ${service} (${operation})`);
    this.deps.events.emit('store:error', { error, during: `execute:${operation}`, service });
  }

  /**
   * Turns a store transition (this process's, or another's when `remote`) into its event; `requestedBy` is the
   * operator whose trip or reset it was. Another process's change comes without the state it left (`from` null).
   */
  announce(
    service: string,
    result: Pick<TransitionResult, 'transition' | 'record'> & Partial<Pick<TransitionResult, 'previousState'>>,
    remote: boolean,
    requestedBy: string | null = null,
  ): void {
    const { events, logger } = this.deps;
    const { record } = result;
    const event = { service, record, remote, from: result.previousState ?? null, requestedBy };
    switch (result.transition) {
      case 'opened':
        if (!remote)
          logger.warn({ service, reason: record.lastFailureReason, tripCount: record.tripCount }, `Circuit breaker opened for ${service}`);
        events.emit('breaker:opened', { ...event, reason: record.lastFailureReason });
        break;
      case 'half_opened':
        events.emit('breaker:half-open', event);
        break;
      case 'closed':
        if (!remote) logger.info({ service }, `Circuit breaker closed for ${service}`);
        events.emit('breaker:closed', event);
        break;
      case 'reset':
        events.emit('breaker:reset', event);
        break;
      case null:
        break;
    }
  }

  assertService(service: string): void {
    if (!this.known.has(service)) throw new UnknownServiceError(service);
  }
}

/** One signal for the call: aborted by the caller's signal or by the timeout, whichever comes first. */
function callSignal(service: string, options: ExecuteOptions): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onCallerAbort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => controller.abort(new CallTimeoutError(service, options.timeoutMs ?? 0)), options.timeoutMs);
  return {
    signal: controller.signal,
    dispose: () => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** Settles with the call, or rejects with the abort reason as soon as the signal fires (a call may ignore its signal). */
function abortable<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
