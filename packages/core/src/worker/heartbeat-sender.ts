/**
 * A worker's heartbeat: every `intervalMs` it tells the shared registry it is alive (service, process and
 * host, concurrency, jobs in flight), and it says goodbye when it stops. A worker that dies stops sending;
 * the registry drops it once `ttlMs` (three intervals) has passed. A registry that fails never stops the
 * worker: the failure is logged and emitted as `store:error` (during `worker-heartbeat`).
 */
import { hostname } from 'node:os';
import type { EventEmitter } from 'eventemitter3';
import type { BreakwaterEvents } from '../events.js';
import type { Logger } from '../logger.js';
import type { WorkerRegistry } from '../ports.js';

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;

export interface HeartbeatDeps {
  registry: WorkerRegistry;
  intervalMs: number;
  clock: () => number;
  logger: Logger;
  events: EventEmitter<BreakwaterEvents>;
}

/** What a worker tells about itself; `jobsInFlight` is read at every beat. */
export interface HeartbeatSubject {
  workerId: string;
  service: string;
  concurrency: number;
  jobsInFlight: () => number;
}

export class HeartbeatSender {
  readonly #deps: HeartbeatDeps;
  readonly #subject: HeartbeatSubject;
  readonly #startedAt: number;
  #timer: ReturnType<typeof setInterval> | null = null;
  #beating: Promise<void> = Promise.resolve();

  constructor(deps: HeartbeatDeps, subject: HeartbeatSubject) {
    this.#deps = deps;
    this.#subject = subject;
    this.#startedAt = deps.clock();
  }

  /** Sends the first heartbeat (so the worker is listed once `start()` returns), then one every interval. */
  async start(): Promise<void> {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.#beat(), this.#deps.intervalMs);
    this.#timer.unref?.();
    await this.#beat();
  }

  /** Stops beating and removes the worker from the registry. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#beating;
    await this.#deps.registry.remove(this.#subject.workerId).catch((error: unknown) => this.#failed(error, 'remove'));
  }

  #beat(): Promise<void> {
    const { registry, intervalMs, clock } = this.#deps;
    const subject = this.#subject;
    // One at a time: a slow registry must not pile heartbeats up.
    this.#beating = this.#beating.then(() =>
      registry
        .beat(
          {
            workerId: subject.workerId,
            service: subject.service,
            pid: process.pid,
            hostname: hostname(),
            concurrency: subject.concurrency,
            jobsInFlight: subject.jobsInFlight(),
            startedAt: this.#startedAt,
            lastSeenAt: clock(),
          },
          intervalMs * 3,
        )
        .catch((error: unknown) => this.#failed(error, 'beat')),
    );
    return this.#beating;
  }

  #failed(error: unknown, operation: string): void {
    const { workerId, service } = this.#subject;
    this.#deps.logger.warn({ err: error, worker: workerId, service }, `Worker ${workerId} could not ${operation} its heartbeat`);
    this.#deps.events.emit('store:error', { error, during: 'worker-heartbeat', service });
  }
}
