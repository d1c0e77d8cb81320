import { applyPermit, closedRecord, isBreakwaterError, successIsNoop } from '@breakwater/core';
import type {
  BreakerChange,
  BreakerPolicy,
  BreakerTransition,
  BreakerRecord,
  CircuitBreakerStore,
  FailureInput,
  PermitResult,
  TransitionResult,
} from '@breakwater/core';
import { outcomeFromReply, policyArguments, recordFromHash, transitionFrom } from './breaker-hash.js';
import type { BreakerHash, ScriptOutcome } from './breaker-hash.js';
import { breakerScripts } from './breaker-scripts.js';
import type { LuaScript } from './lua-script.js';
import type { RedisStoreOptions } from './redis-store-options.js';
import { SharedRedisStore } from './shared-redis-store.js';

const PORT = 'CircuitBreakerStore';

/** A record in the near-cache; null: the breaker was never written (reads as closed). */
type Cached = BreakerRecord | null;

interface BreakerMessage {
  origin: string;
  service: string;
  transition: string;
  record: BreakerHash;
}

/** A change as announced: every write, with or without a transition. */
type Announcement = Omit<BreakerChange, 'transition'> & { transition: BreakerTransition };

function isBreakerMessage(value: unknown): value is BreakerMessage {
  const message = value as Partial<BreakerMessage> | null;
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof message.origin === 'string' &&
    typeof message.service === 'string' &&
    typeof message.transition === 'string' &&
    typeof message.record === 'object'
  );
}

/**
 * Breaker records in Redis hashes `circuit_breaker:<service>`. Every transition is one Lua script
 * (breaker-scripts.ts) that applies core's rules and announces the change over pub/sub; a near-cache
 * fed by those announcements answers the calls that change nothing (a success on a clean closed
 * breaker, a permit on a closed one, a refusal) without a round trip.
 */
export class RedisCircuitBreakerStore extends SharedRedisStore<Cached, BreakerChange> implements CircuitBreakerStore {
  constructor(options: RedisStoreOptions) {
    super(options, {
      storeName: 'RedisCircuitBreakerStore',
      port: PORT,
      channel: (keys) => keys.breakerChannel,
      connectionKind: 'circuit_breaker_changes',
    });
  }

  async get(service: string, now: number): Promise<BreakerRecord> {
    const cached = this.cache.fresh(service);
    if (cached !== undefined) return cached ? { ...cached } : closedRecord(service, now);
    const [record] = await this.read('get', [service], now);
    return record!;
  }

  async list(services: readonly string[], now: number): Promise<BreakerRecord[]> {
    const missing = services.filter((service) => this.cache.fresh(service) === undefined);
    const read = missing.length > 0 ? await this.read('list', missing, now) : [];
    const byService = new Map(read.map((record) => [record.service, record]));
    return services.map((service) => {
      const known = byService.get(service) ?? this.cache.fresh(service) ?? this.cache.lastKnown(service);
      return known ? { ...known } : closedRecord(service, now);
    });
  }

  async recordFailure(service: string, failure: FailureInput, policy: BreakerPolicy, now: number): Promise<TransitionResult> {
    const reason = failure.reason === undefined ? ['0', ''] : ['1', failure.reason];
    const retryAfter = failure.retryAfterMs === undefined ? '' : String(failure.retryAfterMs);
    return withoutPermit(
      await this.transition('recordFailure', breakerScripts.recordFailure, service, policy, now, [...reason, retryAfter]),
    );
  }

  async recordSuccess(service: string, policy: BreakerPolicy, now: number): Promise<TransitionResult> {
    // The hot path: a success on a breaker known to be clean and closed changes nothing, so it costs nothing.
    const cached = this.cache.fresh(service);
    if (cached !== undefined) {
      const record = cached ? { ...cached } : closedRecord(service, now);
      if (successIsNoop(record, policy)) return { record, previousState: record.state, transition: null };
    }
    try {
      return withoutPermit(await this.transition('recordSuccess', breakerScripts.recordSuccess, service, policy, now, []));
    } catch (error) {
      const known = this.fallback(service, now, error);
      if (successIsNoop(known, policy)) return { record: known, previousState: known.state, transition: null };
      throw error;
    }
  }

  async acquirePermit(service: string, policy: BreakerPolicy, now: number): Promise<PermitResult> {
    // Answers that write nothing (closed lets through, any refusal) come from a fresh cache entry.
    const cached = this.cache.fresh(service);
    if (cached !== undefined) {
      const record = cached ? { ...cached } : closedRecord(service, now);
      const local = applyPermit(record, policy, now);
      if (record.state === 'closed' || !local.allowed) return { ...local, record, transition: null };
    }
    try {
      return await this.transition('acquirePermit', breakerScripts.acquirePermit, service, policy, now, []);
    } catch (error) {
      // failOpen: the last state seen decides, nothing is written (no probe is counted).
      const known = this.fallback(service, now, error);
      const local = applyPermit(known, policy, now);
      return { record: known, previousState: known.state, transition: null, allowed: local.allowed, reason: local.reason };
    }
  }

  async trip(service: string, reason: string, policy: BreakerPolicy, now: number): Promise<TransitionResult> {
    return withoutPermit(await this.transition('trip', breakerScripts.trip, service, policy, now, [reason]));
  }

  async reset(service: string, now: number): Promise<TransitionResult> {
    return withoutPermit(await this.transition('reset', breakerScripts.reset, service, null, now, []));
  }

  /** Changes made by other store instances (other processes), with a transition; never this instance's own. */
  private async read(operation: string, services: readonly string[], now: number): Promise<BreakerRecord[]> {
    const ticket = this.cache.ticket();
    try {
      const hashes = await this.bounded.run(operation, async (redis) => {
        if (services.length === 1) return [await redis.hgetall(this.keys.circuitBreaker(services[0]!))];
        const pipeline = redis.pipeline();
        for (const service of services) pipeline.hgetall(this.keys.circuitBreaker(service));
        const results = (await pipeline.exec()) ?? [];
        return results.map(([error, hash]) => {
          if (error) throw error;
          return hash as BreakerHash;
        });
      });
      return services.map((service, index) => {
        const hash = hashes[index] ?? {};
        const record = recordFromHash(service, hash, now);
        this.cache.store(service, Object.keys(hash).length > 0 ? record : null, ticket);
        return record;
      });
    } catch (error) {
      return services.map((service) => this.fallback(service, now, error));
    }
  }

  private async transition(
    operation: string,
    script: LuaScript,
    service: string,
    policy: BreakerPolicy | null,
    now: number,
    extra: readonly string[],
  ): Promise<PermitResult> {
    const ticket = this.cache.ticket();
    const tag = this.origin.next();
    const args = [tag, this.keys.breakerChannel, service, String(now), ...policyArguments(policy), ...extra];
    let outcome: ScriptOutcome;
    try {
      outcome = await this.bounded.run(operation, async (redis) =>
        outcomeFromReply(service, await script.run(redis, [this.keys.circuitBreaker(service)], args)),
      );
    } catch (error) {
      // It may have been applied all the same: forget what we knew, and report its announcement if it comes.
      this.cache.invalidate(service);
      this.origin.abandon(tag);
      throw error;
    }
    this.cache.store(service, outcome.stored ? outcome.record : null, ticket);
    const { stored: _stored, ...result } = outcome;
    return { ...result, record: { ...result.record } };
  }

  /** failOpen: the last record seen, else a closed one; fail closed: the StoreError, rethrown. */
  private fallback(service: string, now: number, error: unknown): BreakerRecord {
    if (!this.failOpen || !isBreakwaterError(error) || error.code !== 'STORE_ERROR') throw error;
    const known = this.cache.lastKnown(service);
    return known ? { ...known } : closedRecord(service, now);
  }

  protected override onMessage(raw: string): void {
    const change = this.decodeMessage(raw);
    if (!change) return;
    this.cache.invalidate(change.service);
    if (change.transition === null) return;
    const announced: BreakerChange = { service: change.service, transition: change.transition, record: change.record };
    this.announce(announced);
  }

  /** Another instance's announcement, or null for our own and for anything that is not one. */
  private decodeMessage(raw: string): Announcement | null {
    try {
      const message: unknown = JSON.parse(raw);
      if (!isBreakerMessage(message) || !this.origin.isNews(message.origin)) return null;
      const record = recordFromHash(message.service, message.record, 0);
      return { service: message.service, record, transition: transitionFrom(message.transition) };
    } catch {
      return null; // not ours: someone else publishes on this channel
    }
  }
}

function withoutPermit(result: PermitResult): TransitionResult {
  return { record: result.record, previousState: result.previousState, transition: result.transition };
}
