/**
 * The embedded QueueStore: queue states, the resume lock and the last report, in one process.
 * Methods never await between reading and writing, so each is atomic here. Like the breaker store,
 * a new one holds no queue states until `initialize` (the lock and the report need no setup).
 */
import { randomUUID } from 'node:crypto';
import type { QueueState } from '../domain.js';
import { StoreStateLostError } from '../errors.js';
import type { InitializeStoreInput, LocalQueueView, QueueStore } from '../ports.js';
import type { ResumeReport } from '../report.js';

export interface InMemoryQueueStoreOptions {
  /** ms since the epoch; the lock's TTL is measured with it. Default `Date.now`. */
  clock?: () => number;
}

/** One service's stored state, null until one is written; held by the views, so they never look the service up. */
interface StateCell {
  state: QueueState | null;
}

interface ResumeLock {
  token: string;
  expiresAt: number;
}

export class InMemoryQueueStore implements QueueStore {
  readonly #clock: () => number;
  readonly #cells = new Map<string, StateCell>();
  #lock: ResumeLock | null = null;
  #lastReport: ResumeReport | null = null;
  #initialized = false;

  constructor(options: InMemoryQueueStoreOptions = {}) {
    this.#clock = options.clock ?? Date.now;
  }

  async initialize(input: Omit<InitializeStoreInput, 'now'>): Promise<boolean> {
    if (this.#initialized) return false;
    const now = this.#clock();
    for (const service of input.services) this.#cell(service).state ??= { ...activeState(service), updatedAt: now };
    for (const { service, reason } of input.paused) {
      // A queue that survived paused keeps the reason it was first paused for, as `pause` does.
      const cell = this.#cell(service);
      if (cell.state?.state !== 'PAUSED') cell.state = { service, state: 'PAUSED', reason, updatedAt: now };
    }
    this.#initialized = true;
    return true;
  }

  async getStates(services: readonly string[]): Promise<QueueState[]> {
    this.#assertInitialized();
    return services.map((service) => ({ ...(this.#cells.get(service)?.state ?? activeState(service)) }));
  }

  localView(service: string): LocalQueueView {
    const cell = this.#cell(service);
    return { peek: () => (this.#initialized ? (cell.state?.state ?? 'ACTIVE') : undefined) };
  }

  async pause(service: string, reason: string): Promise<boolean> {
    this.#assertInitialized();
    // An already paused queue keeps the reason it was first paused for.
    const cell = this.#cell(service);
    if (cell.state?.state === 'PAUSED') return false;
    cell.state = { service, state: 'PAUSED', reason, updatedAt: this.#clock() };
    return true;
  }

  async resume(service: string): Promise<boolean> {
    this.#assertInitialized();
    const cell = this.#cells.get(service);
    if (cell?.state?.state !== 'PAUSED') return false;
    cell.state = { service, state: 'ACTIVE', reason: null, updatedAt: this.#clock() };
    return true;
  }

  async acquireResumeLock(ttlMs: number): Promise<string | null> {
    const now = this.#clock();
    if (this.#heldLock(now)) return null;
    const token = randomUUID();
    this.#lock = { token, expiresAt: now + ttlMs };
    return token;
  }

  async renewResumeLock(token: string, ttlMs: number): Promise<boolean> {
    const now = this.#clock();
    const lock = this.#heldLock(now);
    if (lock?.token !== token) return false;
    lock.expiresAt = now + ttlMs;
    return true;
  }

  async releaseResumeLock(token: string): Promise<boolean> {
    if (this.#heldLock(this.#clock())?.token !== token) return false;
    this.#lock = null;
    return true;
  }

  async isResumeLocked(): Promise<boolean> {
    return this.#heldLock(this.#clock()) !== null;
  }

  async saveLastReport(report: ResumeReport): Promise<void> {
    this.#lastReport = structuredClone(report);
  }

  async getLastReport(): Promise<ResumeReport | null> {
    return structuredClone(this.#lastReport);
  }

  #assertInitialized(): void {
    if (!this.#initialized) throw new StoreStateLostError('QueueStore');
  }

  /** The lock if it is still held; an expired lock is as good as released (like a Redis key past its TTL). */
  #cell(service: string): StateCell {
    let cell = this.#cells.get(service);
    if (!cell) this.#cells.set(service, (cell = { state: null }));
    return cell;
  }

  #heldLock(now: number): ResumeLock | null {
    if (this.#lock !== null && now >= this.#lock.expiresAt) this.#lock = null;
    return this.#lock;
  }
}

function activeState(service: string): QueueState {
  return { service, state: 'ACTIVE', reason: null, updatedAt: null };
}
