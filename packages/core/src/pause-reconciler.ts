/**
 * Completes pauses that never finished (fail-safe rule: a cascade, once owed, completes), in every
 * instance, on a timer: no further call to the service is needed.
 *
 * A service is paused when any of its three marks says so: its breaker is not closed, its queue is
 * PAUSED, or its fence is up (the durable one). The pause is complete when the queue is PAUSED, the fence
 * is up and no RUNNING campaign is left in the pause's scope. Any other mix is a cascade that was cut
 * short (a store failed half-way, the process running it died, a store lost its state) or a resume that
 * died between its steps, and running the cascade's steps again completes it: they are idempotent. A fence
 * up with no trace of the pause in the breaker store means Redis lost its last writes: the breaker is
 * latched open too (see `breakerStateLost`).
 *
 * A check costs one repository query; the stores answer from their near-caches. A mix is acted on only
 * when two checks one interval apart both see it (a near-cache may be up to its staleness bound behind a
 * reset and resume made elsewhere), and then under the resume lock, so it never interleaves with a
 * resume or a cascade: if either holds the lock, it completes what it started and the next tick looks again.
 */
import type { BreakerRecord, QueueState } from './domain.js';
import { campaignPausedMessage, servicePausedReason, stateLostReason } from './messages.js';
import { type PauseCascadeDeps, type PauseReasons, announcePause, inCascadeSpan, pauseServiceOnce } from './pause-cascade.js';
import type { CircuitBreakerStore, ServiceFence } from './ports.js';
import { keepLock } from './resume-lock.js';

export interface PauseReconcilerDeps extends PauseCascadeDeps {
  services: readonly string[];
  breakerStore: CircuitBreakerStore;
  clock: () => number;
  /** Time between checks; 0 turns the timer off (`reconcile()` still works). */
  intervalMs: number;
  /** A check that failed (a store did not answer); the next tick tries again. */
  onCheckFailed: (error: unknown) => void;
  /** Forces a breaker open and latched (as a trip, without a cascade of its own: the reconciler runs it). */
  latchBreaker: (service: string, reason: string) => Promise<void>;
}

/** A service whose pause is not complete, and what is missing. */
export interface IncompletePause {
  service: string;
  breaker: BreakerRecord['state'];
  queue: QueueState['state'];
  fenced: boolean;
  runningCampaigns: boolean;
  /**
   * The fence is up but the breaker store has no trace of the pause (breaker closed, queue ACTIVE and not
   * changed since the fence went up): Redis lost the last writes (a replica promoted before it caught up).
   * The breaker is latched open as when a store is rebuilt, so only an operator's reset brings it back.
   */
  breakerStateLost: boolean;
  reasons: PauseReasons;
}

export class PauseReconciler {
  readonly #deps: PauseReconcilerDeps;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = true;
  #inFlight: Promise<IncompletePause[]> | null = null;
  /** What the previous check found incomplete: acted on only if this one finds it too. */
  #suspects = new Set<string>();

  constructor(deps: PauseReconcilerDeps) {
    this.#deps = deps;
  }

  /** Starts the timer; the first check runs at once. */
  start(): void {
    if (!this.#stopped || this.#deps.intervalMs <= 0) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Stops the timer; resolves once a check that was running has ended (so the host can close the stores after). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#inFlight?.catch(() => undefined);
  }

  /**
   * One check now: completes the pauses found incomplete both here and by the previous check, or, with
   * `immediate`, everything found now (for a host or a test that knows no reset and resume just ran
   * elsewhere). Returns what it completed.
   */
  reconcile(options: { immediate?: boolean } = {}): Promise<IncompletePause[]> {
    this.#inFlight ??= this.#check(options.immediate ?? false).finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.reconcile()
        .catch((error: unknown) => this.#deps.onCheckFailed(error))
        .finally(() => this.#schedule(this.#deps.intervalMs));
    }, delayMs);
    this.#timer.unref?.();
  }

  async #check(immediate: boolean): Promise<IncompletePause[]> {
    const found = await this.#incompletePauses();
    const previous = this.#suspects;
    this.#suspects = new Set(found.map((pause) => pause.service));
    const due = immediate ? found : found.filter((pause) => previous.has(pause.service));
    if (due.length === 0) return [];

    const { queueStore, lockTtlMs, logger } = this.#deps;
    const token = await queueStore.acquireResumeLock(lockTtlMs);
    if (!token) return [];
    const release = keepLock(queueStore, token, lockTtlMs, logger);
    try {
      // Read again under the lock: a resume or a cascade that just finished may have settled it.
      const dueServices = new Set(due.map((pause) => pause.service));
      const incomplete = (await this.#incompletePauses()).filter((pause) => dueServices.has(pause.service));
      for (const pause of incomplete) await this.#complete(pause);
      return incomplete;
    } finally {
      await release();
    }
  }

  async #complete(pause: IncompletePause): Promise<void> {
    const { service } = pause;
    this.#deps.logger.warn(
      { service, breaker: pause.breaker, queue: pause.queue, fenced: pause.fenced, runningCampaigns: pause.runningCampaigns },
      `Completing the interrupted pause of ${service} (breaker ${pause.breaker}, queue ${pause.queue}, ` +
        `fence ${pause.fenced ? 'up' : 'down'}${pause.runningCampaigns ? ', campaigns still running' : ''})`,
    );
    this.#deps.onPauseStarting(service);
    await inCascadeSpan(this.#deps, service, pause.reasons, 'reconciler', async () => {
      if (pause.breakerStateLost) await this.#deps.latchBreaker(service, stateLostReason(service, pause.reasons.reason));
      const result = await pauseServiceOnce(this.#deps, service, pause.reasons);
      announcePause(this.#deps, service, pause.reasons.reason, result, 'reconciler');
      return result;
    });
  }

  async #incompletePauses(): Promise<IncompletePause[]> {
    const { campaigns, breakerStore, queueStore, services, pauseScope, clock } = this.#deps;
    const [fences, breakers, queues] = await Promise.all([
      campaigns.readPauseState({ scope: pauseScope }),
      breakerStore.list(services, clock()),
      queueStore.getStates(services),
    ]);
    const fenceOf = new Map(fences.map((fence) => [fence.service, fence]));
    const incomplete: IncompletePause[] = [];
    services.forEach((service, index) => {
      const breaker = breakers[index];
      const queue = queues[index];
      if (!breaker || !queue) return;
      const pause = incompletePause(service, breaker, queue, fenceOf.get(service));
      if (pause) incomplete.push(pause);
    });
    return incomplete;
  }
}

/** The rule, for one service: null when it is not paused, or paused completely. */
export function incompletePause(
  service: string,
  breaker: BreakerRecord,
  queue: QueueState,
  fence: ServiceFence | undefined,
): IncompletePause | null {
  const paused = breaker.state !== 'closed' || queue.state === 'PAUSED' || fence !== undefined;
  if (!paused) return null;
  const runningCampaigns = fence?.runningCampaigns ?? false;
  if (queue.state === 'PAUSED' && fence !== undefined && !runningCampaigns) return null;
  const failureReason = breaker.state === 'closed' ? null : breaker.lastFailureReason;
  const queueUnchangedSinceFence = queue.updatedAt === null || (fence !== undefined && queue.updatedAt < fence.pausedAt.getTime());
  return {
    service,
    breaker: breaker.state,
    queue: queue.state,
    fenced: fence !== undefined,
    runningCampaigns,
    breakerStateLost: fence !== undefined && breaker.state === 'closed' && queue.state === 'ACTIVE' && queueUnchangedSinceFence,
    reasons: {
      reason: fence?.reason ?? queue.reason ?? servicePausedReason(service, failureReason),
      campaignMessage: campaignPausedMessage(service, failureReason),
    },
  };
}
