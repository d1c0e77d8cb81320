/**
 * The background worker (docs/manual-resume.md, "Background tasks resume processing"):
 * claims PENDING jobs of RUNNING campaigns for one service, runs them through the breaker, and
 * puts a job back to PAUSED (never FAILED, never lost, no attempt spent) when the breaker stops it.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'eventemitter3';
import { defaultClassifyError } from '../breaker-engine.js';
import type { ExecuteOptions } from '../breakwater.js';
import type { Job } from '../domain.js';
import { InvalidOptionsError, UnknownServiceError, isBreakwaterError } from '../errors.js';
import type { WorkerEvents } from '../events.js';
import { exponentialBackoff } from './backoff.js';
import type { HeartbeatSender } from './heartbeat-sender.js';
import type { HandoffReservation } from './job-handoff.js';
import { NO_TRACING } from '../tracing/tracing.js';
import { type CompletedJobLimits, CompletedJobPruning } from './completed-job-pruning.js';
import { CompletionBatches } from './completion-batches.js';
import { PollBackoff } from './poll-backoff.js';
import { rejectUnknownOptions } from '../known-options.js';
import type { WorkerDeps } from './worker-deps.js';
import { WORKER_OPTION_NAMES, type Worker, type WorkerOptions } from './worker-types.js';

const DEFAULTS = { concurrency: 1, pollIntervalMs: 1000, leaseMs: 30_000, maxAttempts: 3 } as const;

/** Thrown inside the call when a pause began after the claim: the job is put back, not run. */
class PausedBeforeStartError extends Error {
  constructor(service: string) {
    super(`Queue for ${service} was paused before the job started`);
  }
}

export function createWorker<R>(deps: WorkerDeps, options: WorkerOptions<R>): Worker {
  return new BreakwaterWorker(deps, options);
}

class BreakwaterWorker<R> implements Worker {
  readonly id: string;
  readonly service: string;
  readonly events = new EventEmitter<WorkerEvents>();
  private readonly settings: Required<Omit<WorkerOptions<R>, 'timeoutMs' | 'classifyError'>> &
    Pick<WorkerOptions<R>, 'classifyError'> & { timeoutMs: number };
  /** Jobs claimed and not yet finished running: what `concurrency` bounds. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Finished jobs whose outcome is being recorded (a completion waits for its batch). */
  private readonly recording = new Set<Promise<void>>();
  private readonly completions: CompletionBatches;
  /** `removeOnComplete: true`: completed jobs are deleted as they are recorded. */
  private readonly removeOnComplete: boolean;
  private readonly pruning: CompletedJobPruning | null;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private wakePending = false;
  /**
   * The last claim found fewer jobs than it asked for: none is waiting, so a slot that frees up has nothing to claim
   * until a signal of new work (an enqueue, a resume, a closed breaker, a retry coming due, the poll).
   */
  private drained = false;
  /** Claims failing in a row: the next poll waits longer. */
  private readonly claimBackoff: PollBackoff;
  /** Counts the signals of new work, so a claim can tell whether one arrived while it ran. */
  private workSignals = 0;
  /** Slots set aside for jobs an enqueue of this process is handing over (job-handoff.ts). */
  private reserved = 0;
  /** Slots the claim under way asks jobs for. */
  private claiming = 0;
  /** Handoffs not yet settled: `stop()` waits for them, so no job handed over is left behind. */
  private readonly handoffs = new Set<Promise<void>>();
  private abortController = new AbortController();
  /** What every job's call goes through `execute` with, made once per start: the same for all of them. */
  private executeOptions: ExecuteOptions;
  private unsubscribe: (() => void) | null = null;
  private withdrawHandoff: (() => void) | null = null;
  private heartbeat: HeartbeatSender | null = null;

  constructor(
    private readonly deps: WorkerDeps,
    options: WorkerOptions<R>,
  ) {
    if (typeof options !== 'object' || options === null)
      throw new InvalidOptionsError('createWorker needs an options object: { service, handler }');
    rejectUnknownOptions('createWorker', options, WORKER_OPTION_NAMES);
    if (!deps.services.includes(options.service)) throw new UnknownServiceError(options.service);
    if (typeof options.handler !== 'function') throw new InvalidOptionsError('Missing required option "handler"');
    for (const name of ['concurrency', 'pollIntervalMs', 'leaseMs', 'maxAttempts', 'timeoutMs'] as const) {
      const value: unknown = options[name];
      if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value <= 0))
        throw new InvalidOptionsError(`Invalid option "${name}": must be a positive integer${name.endsWith('Ms') ? ' of ms' : ''}`);
    }
    for (const name of ['backoff', 'classifyError'] as const) {
      if (options[name] !== undefined && typeof options[name] !== 'function')
        throw new InvalidOptionsError(`Invalid option "${name}": must be a function`);
    }
    const leaseMs = options.leaseMs ?? DEFAULTS.leaseMs;
    const timeoutMs = options.timeoutMs ?? leaseMs;
    // A call outliving its lease would let a second worker run the same job while the first still does.
    if (timeoutMs > leaseMs) throw new InvalidOptionsError(`Invalid option "timeoutMs": must not exceed "leaseMs" (${leaseMs})`);
    this.service = options.service;
    this.id = `${options.service}-worker-${randomUUID().slice(0, 8)}`;
    this.settings = {
      service: options.service,
      handler: options.handler,
      concurrency: options.concurrency ?? DEFAULTS.concurrency,
      pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
      leaseMs,
      maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
      backoff: options.backoff ?? exponentialBackoff,
      timeoutMs,
      classifyError: options.classifyError,
      removeOnComplete: validRemoveOnComplete(options.removeOnComplete),
    };
    const { removeOnComplete } = this.settings;
    const remove = removeOnComplete === true;
    this.removeOnComplete = remove;
    this.claimBackoff = new PollBackoff(this.settings.pollIntervalMs);
    this.executeOptions = this.executeOptionsFor(this.abortController.signal);
    this.completions = new CompletionBatches(
      (jobs) => deps.campaigns.completeJobs({ workerId: this.id, jobs, remove }),
      () => this.slotFreed(),
    );
    this.pruning =
      typeof removeOnComplete === 'object'
        ? new CompletedJobPruning({
            campaigns: deps.campaigns,
            service: this.service,
            limits: removeOnComplete,
            logger: deps.logger,
            workerId: this.id,
          })
        : null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.abortController = new AbortController();
    this.executeOptions = this.executeOptionsFor(this.abortController.signal);
    this.unsubscribe = this.listenForWork();
    this.withdrawHandoff = this.deps.handoff?.register({ service: this.service, reserve: (wanted) => this.reserve(wanted) }) ?? null;
    this.loop = this.run();
    const { id: workerId, service, inFlight } = this;
    this.heartbeat =
      this.deps.heartbeat?.({ workerId, service, concurrency: this.settings.concurrency, jobsInFlight: () => inFlight.size }) ?? null;
    await this.heartbeat?.start();
  }

  async stop(options: { graceful?: boolean } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.withdrawHandoff?.();
    this.withdrawHandoff = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (options.graceful === false) this.abortController.abort(new Error(`Worker ${this.id} stopped`));
    this.notify();
    await this.loop;
    await Promise.allSettled([...this.handoffs]);
    await Promise.allSettled([...this.inFlight]);
    // Every outcome a finished job is waiting to have written goes out before stop returns.
    await this.completions.flush();
    await Promise.allSettled([...this.recording]);
    await this.pruning?.stop();
    await this.heartbeat?.stop();
    this.heartbeat = null;
  }

  /** A resume, a new job of this service or a closed breaker wakes the worker at once (also when another process did it). */
  private listenForWork(): () => void {
    const { events } = this.deps;
    const mine = (event: { service: string }) => {
      if (event.service === this.service) this.notify();
    };
    const any = () => this.notify();
    events.on('service:resumed', mine);
    events.on('job:enqueued', mine);
    events.on('jobs:enqueued', mine);
    events.on('breaker:closed', mine);
    events.on('breaker:reset', mine);
    events.on('resume:completed', any);
    return () => {
      events.off('service:resumed', mine);
      events.off('job:enqueued', mine);
      events.off('jobs:enqueued', mine);
      events.off('breaker:closed', mine);
      events.off('breaker:reset', mine);
      events.off('resume:completed', any);
    };
  }

  /** New work may be waiting: claim at the next turn of the loop. */
  private notify(): void {
    this.workSignals += 1;
    this.drained = false;
    this.wakePending = true;
    this.wake?.();
  }

  /** A slot came free (a job finished, or completions were written): worth a claim only while jobs are waiting. */
  private slotFreed(): void {
    if (this.drained && this.running) return;
    this.wakePending = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      // Jobs that are still running may finish in this same turn of the event loop (short ones finish together):
      // the claim waits for the turn to end, so that one claim asks for all their slots. Claiming at the first
      // freed slot sent a claim for 1 job and then one for the other 9, and kept them out of step from then on.
      if (this.inFlight.size > 0) {
        await nextTurn();
        if (!this.running) break;
      }
      this.wakePending = false;
      const free = this.freeSlots();
      let claimed = 0;
      if (free > 0) {
        const signalsBefore = this.workSignals;
        this.claiming = free;
        try {
          claimed = await this.claimAndStart(free);
          this.claiming = 0;
          if (claimed < free && this.workSignals === signalsBefore) this.drained = true;
          this.claimsWorkAgain();
        } catch (error) {
          this.claiming = 0;
          await this.idle(this.claimFailed(error), { heedWakeUps: false });
          continue;
        }
      }
      // Claimed a full batch: there may be more, go again at once.
      if (claimed > 0 && claimed === free) continue;
      await this.idle(this.settings.pollIntervalMs, { heedWakeUps: true });
    }
  }

  /**
   * Slots to claim for: `concurrency` less the jobs running, and less the slots a claim under way or a handoff has
   * set aside. A finished job's slot is free before its completion is written (the next claim and that write
   * overlap), but completions waiting beyond one batch's worth hold slots back, so a slow database is not handed
   * ever more finished work to record.
   */
  private freeSlots(): number {
    const { concurrency } = this.settings;
    const backlog = Math.max(0, this.completions.unwritten - concurrency);
    return concurrency - this.inFlight.size - backlog - this.reserved - this.claiming;
  }

  /**
   * An enqueue of this process wants to hand jobs over: sets aside free slots for them. The pause epoch is read
   * now, before the enqueue checks the queue and the breaker, as a claim reads it before its checks. A worker
   * backing off from failing claims takes none: its store is in trouble, and it waits for it as it does to claim.
   */
  private reserve(wanted: number): HandoffReservation | null {
    const slots = Math.min(wanted, this.freeSlots());
    if (!this.running || slots <= 0 || this.claimBackoff.failures > 0) return null;
    const epoch = this.deps.pauseEpochs.current(this.service);
    this.reserved += slots;
    let settled = () => {};
    const handoff = new Promise<void>((resolve) => (settled = resolve));
    this.handoffs.add(handoff);
    let open = true;
    return {
      claim: { service: this.service, workerId: this.id, limit: slots, leaseMs: this.settings.leaseMs },
      settle: (jobs) => {
        if (!open) return;
        open = false;
        this.reserved -= slots;
        this.handoffs.delete(handoff);
        settled();
        for (const job of jobs) this.takeHandedOff(job, epoch);
        if (jobs.length < slots) this.slotFreed();
      },
    };
  }

  /** A job the enqueue claimed for this worker: run as a claimed one, or, if the worker stopped meanwhile, put back. */
  private takeHandedOff(job: Job, epoch: number): void {
    if (this.running) {
      this.track(this.runJob(job, epoch));
      return;
    }
    // It never started: back to PENDING with its attempt given back, as a job its stopping worker releases
    // (if even that fails, its lease expires and another worker takes it).
    const released = this.deps.campaigns.releaseJob({ jobId: job.id, workerId: this.id, retryInMs: 0 }).then(
      (done) => {
        if (done) this.events.emit('job:released', { job, reason: `Worker ${this.id} stopped before the job started` });
      },
      (error: unknown) => {
        this.deps.logger.error(
          { err: error, jobId: job.id, worker: this.id },
          `Worker ${this.id} could not put back job ${job.id}, handed to it as it stopped; it will run again after its lease`,
        );
        this.events.emit('error', { error, during: 'record-outcome', jobId: job.id, retryInMs: null });
      },
    );
    this.record(released);
  }

  /** A claim failed: said once per attempt (the attempts thin out as the backoff grows); how long to wait. */
  private claimFailed(error: unknown): number {
    const retryInMs = this.claimBackoff.failed();
    const attempt = this.claimBackoff.failures;
    this.deps.logger.error(
      { err: error, worker: this.id, attempt, retryInMs },
      `Worker ${this.id} could not claim jobs (${attempt} failed in a row); trying again in ${retryInMs} ms`,
    );
    this.events.emit('error', { error, during: 'claim', jobId: null, retryInMs });
    return retryInMs;
  }

  private claimsWorkAgain(): void {
    const failures = this.claimBackoff.succeeded();
    if (failures > 0)
      this.deps.logger.info({ worker: this.id, failures }, `Worker ${this.id} claims jobs again after ${failures} failed attempts`);
  }

  /**
   * Waits for the next poll (`delayMs`), or until woken: by work (a new job, a resume), unless the worker is
   * backing off from failing claims, and always by `stop()`.
   */
  private idle(delayMs: number, { heedWakeUps }: { heedWakeUps: boolean }): Promise<void> {
    if (!this.running || (heedWakeUps && this.wakePending)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      // The poll: jobs this worker hears nothing about (another process's, a lease expiring) are found this way.
      const timer = setTimeout(() => {
        this.drained = false;
        done();
      }, delayMs);
      this.wake = () => {
        if (heedWakeUps || !this.running) done();
      };
    });
  }

  /** Claims only while the queue is ACTIVE and the breaker closed; the store's fence makes the claim itself safe. */
  private async claimAndStart(limit: number): Promise<number> {
    const { queueStore, breakers, campaigns, pauseEpochs } = this.deps;
    const epoch = pauseEpochs.current(this.service);
    const [[queue], breaker] = await Promise.all([queueStore.getStates([this.service]), breakers.get(this.service)]);
    if (queue?.state !== 'ACTIVE' || breaker.state !== 'closed') return 0;
    const claim = { service: this.service, workerId: this.id, limit, leaseMs: this.settings.leaseMs };
    // Completions waiting for their write go with the claim instead: one statement where there were two.
    const riding = this.completions.take();
    let jobs: Job[];
    if (riding === null) jobs = await campaigns.claimJobs(claim);
    else {
      let outcome: Awaited<ReturnType<typeof campaigns.completeAndClaimJobs>>;
      try {
        outcome = await campaigns.completeAndClaimJobs({ ...claim, completions: riding.completions, remove: this.removeOnComplete });
      } catch (error) {
        riding.giveBack();
        throw error;
      }
      riding.written(outcome.completed);
      jobs = outcome.claimed;
    }
    for (const job of jobs) this.track(this.runJob(job, epoch));
    return jobs.length;
  }

  private track(task: Promise<void>): void {
    this.inFlight.add(task);
    void task.finally(() => {
      this.inFlight.delete(task);
      this.slotFreed();
    });
  }

  private async runJob(job: Job, epoch: number): Promise<void> {
    const { breakers, pauseEpochs, logger } = this.deps;
    const { handler } = this.settings;
    let result: R;
    let started = false;
    try {
      result = await breakers.execute(
        this.service,
        (signal) => {
          // The last check before the handler runs, with nothing awaited after it: a pause that
          // began since the claim (here or, once heard, elsewhere) keeps this job from starting.
          if (pauseEpochs.current(this.service) !== epoch) throw new PausedBeforeStartError(this.service);
          if (signal.aborted) throw signal.reason;
          started = true;
          this.events.emit('job:started', { job });
          return (this.deps.tracing ?? NO_TRACING).inSpan(
            'breakwater.job',
            () => jobAttributes(job, this.id),
            () => handler(job, { signal }),
          );
        },
        this.executeOptions,
      );
    } catch (error) {
      await this.settle(job, error, { started, epoch }).catch((settleError: unknown) => {
        logger.error(
          { err: settleError, jobId: job.id, worker: this.id },
          `Worker ${this.id} could not record the outcome of job ${job.id}; it will run again after its lease`,
        );
        this.events.emit('error', { error: settleError, during: 'record-outcome', jobId: job.id, retryInMs: null });
      });
      return;
    }
    this.record(this.complete(job, result));
  }

  /** A job's call is aborted by its timeout and by a stop without grace; a pause before it starts is no failure. */
  private executeOptionsFor(signal: AbortSignal): ExecuteOptions {
    const { timeoutMs, classifyError = defaultClassifyError } = this.settings;
    return {
      timeoutMs,
      signal,
      classifyError: (error) => (error instanceof PausedBeforeStartError ? null : classifyError(error)),
    };
  }

  /** Records the completion with the next batch; the job's slot is already free for another. */
  private async complete(job: Job, result: R): Promise<void> {
    const { logger } = this.deps;
    try {
      if (await this.completions.add({ jobId: job.id, result })) {
        this.events.emit('job:completed', { job, result });
        this.pruning?.completed();
      }
    } catch (error) {
      // At-least-once: the job stays PROCESSING and runs again once its lease expires.
      logger.error(
        { err: error, jobId: job.id, worker: this.id },
        `Worker ${this.id} could not mark job ${job.id} completed; it will run again after its lease`,
      );
      this.events.emit('error', { error, during: 'record-outcome', jobId: job.id, retryInMs: null });
    }
  }

  private record(task: Promise<void>): void {
    this.recording.add(task);
    void task.finally(() => this.recording.delete(task));
  }

  /**
   * Decides what a failed run means: paused by the breaker, abandoned on stop, put back, retried, or failed for
   * good. It needs only the repository (what it knows of the breaker, it knows locally), so a breaker store that
   * is down cannot keep a finished job from being recorded.
   */
  private async settle(job: Job, error: unknown, run: { started: boolean; epoch: number }): Promise<void> {
    const { campaigns } = this.deps;
    const message = error instanceof Error ? error.message : String(error);
    if (this.abortController.signal.aborted) {
      // Stopped without grace (before or while it ran): leave the job PROCESSING; its lease
      // expires and another worker takes it (at-least-once).
      return;
    }
    // Refused by the breaker, or a pause began (here, or heard from elsewhere) while it ran: the failure is the
    // outage's, so the job waits for the resume like the others, its attempt given back.
    const refused = error instanceof PausedBeforeStartError || (isBreakwaterError(error) && error.code === 'CIRCUIT_OPEN');
    if (refused || this.deps.pauseEpochs.current(this.service) !== run.epoch) {
      const reason = refused ? message : `Circuit breaker open for ${this.service}: ${message}`;
      if (await campaigns.repauseJob({ jobId: job.id, workerId: this.id, reason })) this.events.emit('job:paused', { job, reason });
      return;
    }
    if (!run.started) {
      // The breaker could not even be asked (its store failed): the job never reached the service. Put it
      // back without spending an attempt; the claim loop waits for the store before taking it again.
      const retryInMs = this.settings.pollIntervalMs;
      if (await campaigns.releaseJob({ jobId: job.id, workerId: this.id, retryInMs })) {
        this.events.emit('job:released', { job, reason: message });
      }
      return;
    }
    if (job.attempts >= this.settings.maxAttempts) {
      if (await campaigns.failJob({ jobId: job.id, workerId: this.id, error: message, retryInMs: null }))
        this.events.emit('job:failed', { job, error: message });
      return;
    }
    const retryInMs = this.settings.backoff(job.attempts);
    if (await campaigns.failJob({ jobId: job.id, workerId: this.id, error: message, retryInMs })) {
      this.events.emit('job:retrying', { job, error: message, retryInMs });
      setTimeout(() => this.notify(), retryInMs).unref?.();
    }
  }
}

/** Resolves in the next turn of the event loop, once every callback and promise reaction of this one has run. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A job's span: which job of which campaign, on which service, which attempt, by which worker. */
function jobAttributes(job: Job, workerId: string) {
  return {
    'breakwater.service': job.service,
    'breakwater.job.id': job.id,
    'breakwater.campaign.id': job.campaignId,
    'breakwater.job.attempt': job.attempts,
    'breakwater.worker.id': workerId,
  };
}

/** `removeOnComplete` as given, checked: a boolean, or limits that are whole numbers (ms, jobs) and not both absent. */
function validRemoveOnComplete(value: WorkerOptions['removeOnComplete']): boolean | CompletedJobLimits {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  const invalid = new InvalidOptionsError(
    'Invalid option "removeOnComplete": must be true, false, or { maxAgeMs, maxCount } with at least one whole number ≥ 0',
  );
  if (typeof value !== 'object' || value === null) throw invalid;
  const { maxAgeMs, maxCount } = value;
  const limits = [maxAgeMs, maxCount].filter((limit) => limit !== undefined);
  if (limits.length === 0 || !limits.every((limit) => Number.isSafeInteger(limit) && (limit as number) >= 0)) throw invalid;
  return { ...(maxAgeMs === undefined ? {} : { maxAgeMs }), ...(maxCount === undefined ? {} : { maxCount }) };
}
