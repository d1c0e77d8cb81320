/**
 * The embedded WorkerRegistry: the heartbeats of one process's workers. Enough when one process runs
 * everything; workers in several processes announce themselves to a shared one (`RedisWorkerRegistry`).
 */
import type { WorkerHeartbeat, WorkerRegistry } from '../ports.js';
import { byServiceThenWorker } from '../worker/heartbeat-order.js';

export interface InMemoryWorkerRegistryOptions {
  /** ms since the epoch: when a heartbeat goes stale is measured with it. Default `Date.now`. */
  clock?: () => number;
}

export class InMemoryWorkerRegistry implements WorkerRegistry {
  readonly #clock: () => number;
  readonly #workers = new Map<string, { heartbeat: WorkerHeartbeat; expiresAt: number }>();

  constructor(options: InMemoryWorkerRegistryOptions = {}) {
    this.#clock = options.clock ?? Date.now;
  }

  async beat(heartbeat: WorkerHeartbeat, ttlMs: number): Promise<void> {
    this.#workers.set(heartbeat.workerId, { heartbeat: { ...heartbeat }, expiresAt: this.#clock() + ttlMs });
  }

  async list(): Promise<WorkerHeartbeat[]> {
    const now = this.#clock();
    const live: WorkerHeartbeat[] = [];
    for (const [workerId, { heartbeat, expiresAt }] of this.#workers) {
      if (expiresAt <= now) this.#workers.delete(workerId);
      else live.push({ ...heartbeat });
    }
    return live.sort(byServiceThenWorker);
  }

  async remove(workerId: string): Promise<boolean> {
    return this.#workers.delete(workerId);
  }
}
