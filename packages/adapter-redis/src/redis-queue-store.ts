import { randomUUID } from 'node:crypto';
import { isBreakwaterError, parseStoredResumeReport } from '@breakwater/core';
import type { InitializeStoreInput, LocalQueueView, QueueChange, QueueState, QueueStore, ResumeReport } from '@breakwater/core';
import { decodeAnnouncement } from './announcement.js';
import type { LuaScript } from './lua-script.js';
import { queueScripts } from './queue-scripts.js';
import type { RedisStoreOptions } from './redis-store-options.js';
import { SharedRedisStore } from './shared-redis-store.js';
import { throwIfStateLost } from './state-lost-reply.js';

const PORT = 'QueueStore';

function activeState(service: string): QueueState {
  return { service, state: 'ACTIVE', reason: null, updatedAt: null };
}

function queueState(service: string, state: unknown, reason: unknown, updatedAt: unknown): QueueState {
  return {
    service,
    // Anything but PAUSED (including no field: never paused) is ACTIVE.
    state: state === 'PAUSED' ? 'PAUSED' : 'ACTIVE',
    reason: state === 'PAUSED' && typeof reason === 'string' ? reason : null,
    updatedAt: typeof updatedAt === 'string' && updatedAt !== '' ? Number(updatedAt) : null,
  };
}

/** The JSON of a queue announcement (after its origin line). */
interface QueueMessage {
  kind: 'queue';
  service: string;
  state: string;
  reason?: string;
  updated_at?: string;
}

interface ResumeCompletedMessage {
  kind: 'resume-completed';
  resume_id: string;
}

function changeFrom(message: unknown): QueueChange | null {
  if (typeof message !== 'object' || message === null) return null;
  const known = message as Partial<QueueMessage> | Partial<ResumeCompletedMessage>;
  if (known.kind === 'queue' && typeof known.service === 'string') {
    return { kind: 'queue', service: known.service, state: queueState(known.service, known.state, known.reason, known.updated_at) };
  }
  if (known.kind === 'resume-completed' && typeof known.resume_id === 'string') {
    return { kind: 'resume-completed', resumeId: known.resume_id };
  }
  return null;
}

/**
 * Queue states in the hash `queue_status` (`ACTIVE`/`PAUSED` per service), with the pause
 * reason and time in hashes beside it; the resume lock (`SET NX PX`, compare-and-delete, compare-and-
 * pexpire) and the last report under `breakwater:`. Pauses, resumes and saved reports are announced over
 * pub/sub; a near-cache fed by those announcements answers `getStates` (read on every call the engine
 * lets through) without a round trip.
 */
export class RedisQueueStore extends SharedRedisStore<QueueState, QueueChange> implements QueueStore {
  constructor(options: RedisStoreOptions) {
    super(options, { storeName: 'RedisQueueStore', channel: (keys) => keys.queueChannel, connectionKind: 'queue_changes' });
  }

  /** Sets the store up from the durable record when Redis holds no state for it (see queue-initialize.lua). */
  async initialize(input: Omit<InitializeStoreInput, 'now'>): Promise<boolean> {
    const reasons = new Map(input.paused.map(({ service, reason }) => [service, reason]));
    const services = [...new Set([...input.services, ...reasons.keys()])];
    const tag = this.origin.next();
    const args = [tag, this.keys.queueChannel, String(Date.now())];
    for (const service of services) {
      const reason = reasons.get(service);
      args.push(service, reason === undefined ? '0' : '1', reason ?? '');
    }
    try {
      const reply = await this.tagged(tag, () => this.bounded.run((redis) => queueScripts.initialize.run(redis, this.stateKeys(), args)));
      return reply === 1;
    } finally {
      for (const service of services) this.cache.invalidate(service);
    }
  }

  async getStates(services: readonly string[]): Promise<QueueState[]> {
    const read = new Map<string, QueueState>();
    const missing = services.filter((service) => this.cache.fresh(service) === undefined);
    if (missing.length > 0) {
      const ticket = this.cache.ticket();
      try {
        const reply = await this.bounded.run(async (redis) => {
          const answer = await queueScripts.readStates.run(redis, this.stateKeys(), missing);
          throwIfStateLost(PORT, answer);
          return answer;
        });
        const [states, reasons, updatedAts] = reply as [unknown[], unknown[], unknown[]];
        missing.forEach((service, index) => {
          const state = queueState(service, states[index], reasons[index], updatedAts[index]);
          read.set(service, state);
          this.cache.store(service, state, ticket);
        });
      } catch (error) {
        // failOpen: the last states seen, else ACTIVE. A BreakwaterError is the store's own answer (its state is
        // lost), not Redis failing: it is rethrown either way.
        if (!this.failOpen || isBreakwaterError(error)) throw error;
      }
    }
    return services.map((service) => ({
      ...(read.get(service) ?? this.cache.fresh(service) ?? this.cache.lastKnown(service) ?? activeState(service)),
    }));
  }

  /** The near-cache's state of one service while fresh, aged as `RedisCircuitBreakerStore.localView` ages its records. */
  localView(service: string): LocalQueueView {
    const fresh = this.cache.view(service);
    return { peek: (monotonicNow) => fresh(monotonicNow)?.state };
  }

  async pause(service: string, reason: string): Promise<boolean> {
    return this.change(queueScripts.pause, service, [reason, String(Date.now())]);
  }

  async resume(service: string): Promise<boolean> {
    return this.change(queueScripts.resume, service, [String(Date.now())]);
  }

  async acquireResumeLock(ttlMs: number): Promise<string | null> {
    const token = randomUUID();
    const answer = await this.bounded.run((redis) => redis.set(this.keys.resumeLock, token, 'PX', ttlMs, 'NX'));
    return answer === 'OK' ? token : null;
  }

  async renewResumeLock(token: string, ttlMs: number): Promise<boolean> {
    const renewed = await this.bounded.run((redis) => queueScripts.renewLock.run(redis, [this.keys.resumeLock], [token, ttlMs]));
    return renewed === 1;
  }

  async releaseResumeLock(token: string): Promise<boolean> {
    const released = await this.bounded.run((redis) => queueScripts.releaseLock.run(redis, [this.keys.resumeLock], [token]));
    return released === 1;
  }

  async isResumeLocked(): Promise<boolean> {
    return (await this.bounded.run((redis) => redis.exists(this.keys.resumeLock))) === 1;
  }

  /** Saves the report and announces `resume-completed` (with the report's `resumeId`) in one step. */
  async saveLastReport(report: ResumeReport): Promise<void> {
    const args = [JSON.stringify(report), this.origin.next(), this.keys.queueChannel, report.resumeId];
    await this.tagged(args[1]!, () => this.bounded.run((redis) => queueScripts.saveReport.run(redis, [this.keys.lastResumeReport], args)));
  }

  /** The report saved as JSON; what the key holds that is not one (another program's, an older version's) reads as none. */
  async getLastReport(): Promise<ResumeReport | null> {
    return parseStoredResumeReport(await this.bounded.run((redis) => redis.get(this.keys.lastResumeReport)));
  }

  /** KEYS of every queue-state script: the three hashes and the state marker. */
  private stateKeys(): string[] {
    return [this.keys.queueStatus, this.keys.queueStatusReason, this.keys.queueStatusUpdatedAt, this.keys.queueStateMarker];
  }

  private async change(script: LuaScript, service: string, args: readonly string[]): Promise<boolean> {
    const ticket = this.cache.ticket();
    const tag = this.origin.next();
    let reply: unknown;
    try {
      reply = await this.tagged(tag, () =>
        this.bounded.run(async (redis) => {
          const answer = await script.run(redis, this.stateKeys(), [tag, this.keys.queueChannel, service, ...args]);
          throwIfStateLost(PORT, answer);
          return answer;
        }),
      );
    } catch (error) {
      this.cache.invalidate(service); // it may have been applied all the same
      throw error;
    }
    const [changed, state, reason, updatedAt] = reply as [string, string, unknown, unknown];
    this.cache.store(service, queueState(service, state, reason, updatedAt), ticket);
    return changed === '1';
  }

  /** Runs a write tagged `tag`; if its caller is told it failed, its announcement (should it come) is reported. */
  private async tagged<T>(tag: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      this.origin.abandon(tag);
      throw error;
    }
  }

  protected override onMessage(raw: string): void {
    const change = changeFrom(decodeAnnouncement(raw, this.origin));
    if (!change) return;
    if (change.kind === 'queue') this.cache.invalidate(change.service);
    this.announce(change);
  }
}
