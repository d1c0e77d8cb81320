/**
 * Keeps a service's completed jobs within the worker's `removeOnComplete: { maxAgeMs, maxCount }`: after the worker
 * has completed jobs, and at most once per `PRUNE_INTERVAL_MS`, it deletes what the limits no longer keep, in
 * bounded statements (as BullMQ evicts old completed jobs when others complete). Runs in the background: a prune
 * that fails is logged and tried again next time, and never holds up a job.
 */
import type { Logger } from '../logger.js';
import type { CampaignRepository } from '../ports.js';

export interface CompletedJobLimits {
  /** Completed jobs older than this (ms since their completion) are deleted. */
  maxAgeMs?: number;
  /** Only this many of the most recently completed jobs are kept. */
  maxCount?: number;
}

export const PRUNE_INTERVAL_MS = 1_000;
/** Rows one prune statement deletes at most; a larger backlog takes several. */
export const PRUNE_BATCH = 1_000;

export class CompletedJobPruning {
  #lastRun = Number.NEGATIVE_INFINITY;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(
    private readonly deps: {
      campaigns: Pick<CampaignRepository, 'pruneCompletedJobs'>;
      service: string;
      limits: CompletedJobLimits;
      logger: Logger;
      workerId: string;
    },
  ) {}

  /** After completions were recorded: prunes now if the last prune is long enough ago and none is under way. */
  completed(now: number = Date.now()): void {
    if (this.#stopped || this.#running !== null || now - this.#lastRun < PRUNE_INTERVAL_MS) return;
    this.#lastRun = now;
    this.#running = this.#prune().finally(() => (this.#running = null));
  }

  /** Starts no further statement, and resolves once the one under way (if any) has returned. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#running;
  }

  async #prune(): Promise<void> {
    const { campaigns, service, limits, logger, workerId } = this.deps;
    try {
      for (;;) {
        const deleted = await campaigns.pruneCompletedJobs({ service, ...limits, limit: PRUNE_BATCH });
        if (deleted < PRUNE_BATCH || this.#stopped) return;
      }
    } catch (error) {
      logger.warn({ err: error, worker: workerId, service }, `Worker ${workerId} could not delete old completed jobs of ${service}`);
    }
  }
}
