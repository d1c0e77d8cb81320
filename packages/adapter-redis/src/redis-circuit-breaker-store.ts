import { applyPermit, closedRecord, isBreakwaterError, successIsNoop } from '@breakwater/core';
import type {
  BreakerChange,
  BreakerPolicy,
  BreakerRecord,
  CircuitBreakerStore,
  FailureInput,
  InitializeStoreInput,
  LocalBreakerView,
  PermitResult,
  TransitionResult,
} from '@breakwater/core';
import { decodeAnnouncement } from './announcement.js';
import { BreakerArguments } from './breaker-arguments.js';
import { outcomeFromReply, recordFromHash, transitionFrom } from './breaker-hash.js';
import type { BreakerHash, ScriptOutcome } from './breaker-hash.js';
import { breakerScripts } from './breaker-scripts.js';
import type { LuaScript } from './lua-script.js';
import type { RedisStoreOptions } from './redis-store-options.js';
import { SharedRedisStore } from './shared-redis-store.js';
import { throwIfStateLost } from './state-lost-reply.js';
import { VersionedRecords, countedFailure, failureOnlyCounts } from './versioned-records.js';
import { copyRecord } from './breaker-record-copy.js';

const PORT = 'CircuitBreakerStore';

/** A record in the near-cache; null: the breaker was never written (reads as closed). */
type Cached = BreakerRecord | null;

/** The JSON of a breaker announcement (after its origin line): the record only with a transition. */
interface BreakerMessage {
  service: string;
  transition: string;
  record?: BreakerHash;
}

function isBreakerMessage(value: unknown): value is BreakerMessage {
  const message = value as Partial<BreakerMessage> | null;
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof message.service === 'string' &&
    typeof message.transition === 'string' &&
    (message.record === undefined || (typeof message.record === 'object' && message.record !== null))
  );
}

/**
 * Breaker records in Redis hashes `circuit_breaker:<service>`. Every transition is one Lua script
 * (breaker-scripts.ts) that applies core's rules and announces the change over pub/sub; a near-cache
 * fed by those announcements answers the calls that change nothing (a success on a clean closed
 * breaker, a permit on a closed one, a refusal) without a round trip.
 */
export class RedisCircuitBreakerStore extends SharedRedisStore<Cached, BreakerChange> implements CircuitBreakerStore {
  /** The records last read or written here with their hashes' versions, for the failure fast path. */
  private readonly versioned = new VersionedRecords();
  private readonly arguments: BreakerArguments;
  /** Per service: KEYS of its scripts (the state marker, its hash), made once. */
  private readonly scriptKeys = new Map<string, readonly string[]>();

  constructor(options: RedisStoreOptions) {
    super(options, {
      storeName: 'RedisCircuitBreakerStore',
      channel: (keys) => keys.breakerChannel,
      connectionKind: 'circuit_breaker_changes',
    });
    this.arguments = new BreakerArguments(this.keys.breakerChannel);
  }

  /** Sets the store up from the durable record when Redis holds no state for it (see breaker-initialize.lua). */
  async initialize(input: InitializeStoreInput): Promise<boolean> {
    const reasons = new Map(input.paused.map(({ service, reason }) => [service, reason]));
    const services = [...new Set([...input.services, ...reasons.keys()])];
    const tag = this.origin.next();
    const keys = [this.keys.breakerStateMarker, ...services.map((service) => this.keys.circuitBreaker(service))];
    const args = [String(input.now), this.arguments.common(tag, '', null)];
    for (const service of services) {
      const reason = reasons.get(service);
      args.push(service, reason === undefined ? '0' : '1', reason ?? '');
    }
    try {
      const reply = await this.bounded.run((redis) => breakerScripts.initialize.run(redis, keys, args));
      return reply === 1;
    } catch (error) {
      this.origin.abandon(tag);
      throw error;
    } finally {
      // Whatever this instance read before the store was set up is not to be served, or counted on, again.
      for (const service of services) {
        this.cache.invalidate(service);
        this.versioned.forget(service);
      }
    }
  }

  async get(service: string, now: number): Promise<BreakerRecord> {
    const cached = this.cache.fresh(service);
    if (cached !== undefined) return cached ? copyRecord(cached) : closedRecord(service, now);
    const [record] = await this.read([service], now);
    return record!;
  }

  async list(services: readonly string[], now: number): Promise<BreakerRecord[]> {
    const missing = services.filter((service) => this.cache.fresh(service) === undefined);
    const read = missing.length > 0 ? await this.read(missing, now) : [];
    const byService = new Map(read.map((record) => [record.service, record]));
    return services.map((service) => {
      const known = byService.get(service) ?? this.cache.fresh(service) ?? this.cache.lastKnown(service);
      return known ? copyRecord(known) : closedRecord(service, now);
    });
  }

  /**
   * The near-cache's record of one service while fresh (never after a disconnection, an invalidation or
   * `nearCacheMaxAgeMs`, aged with core's `performance.now()` reading).
   */
  localView(service: string): LocalBreakerView {
    return { peek: this.cache.view(service) };
  }

  async recordFailure(service: string, failure: FailureInput, policy: BreakerPolicy, now: number): Promise<TransitionResult> {
    const { reason, retryAfterMs } = failure;
    const retryAfter = retryAfterMs === undefined ? '' : String(retryAfterMs);
    // The record held here (as it is now: later replies may replace it before this one comes back), when by that
    // record this failure only counts: the script's fast path writes the count and version worked out here if the
    // hash is still at the held version.
    const held = this.versioned.get(service);
    const fast = held !== undefined && failureOnlyCounts(held.record, policy) ? held : undefined;
    const extra = fast
      ? [retryAfter, String(fast.version), String(fast.record.failureCount + 1), String(fast.version + 1)]
      : [retryAfter, '', '', ''];
    if (reason !== undefined) extra.push(reason);
    const counted = fast && (() => countedFailure(fast, now, reason));
    return withoutPermit(await this.transition(breakerScripts.recordFailure, service, policy, now, extra, counted));
  }

  async recordSuccess(service: string, policy: BreakerPolicy, now: number): Promise<TransitionResult> {
    // The hot path: a success on a breaker known to be clean and closed changes nothing, so it costs nothing.
    const cached = this.cache.fresh(service);
    if (cached !== undefined) {
      const record = cached ? copyRecord(cached) : closedRecord(service, now);
      if (successIsNoop(record, policy)) return { record, previousState: record.state, transition: null };
    }
    try {
      return withoutPermit(await this.transition(breakerScripts.recordSuccess, service, policy, now, []));
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
      const record = cached ? copyRecord(cached) : closedRecord(service, now);
      const local = applyPermit(record, policy, now);
      if (record.state === 'closed' || !local.allowed) return { ...local, record, transition: null };
    }
    try {
      return await this.transition(breakerScripts.acquirePermit, service, policy, now, []);
    } catch (error) {
      // failOpen: the last state seen decides, nothing is written (no probe is counted).
      const known = this.fallback(service, now, error);
      const local = applyPermit(known, policy, now);
      return { record: known, previousState: known.state, transition: null, allowed: local.allowed, reason: local.reason };
    }
  }

  async trip(service: string, reason: string, policy: BreakerPolicy, now: number): Promise<TransitionResult> {
    return withoutPermit(await this.transition(breakerScripts.trip, service, policy, now, [reason]));
  }

  async reset(service: string, now: number): Promise<TransitionResult> {
    return withoutPermit(await this.transition(breakerScripts.reset, service, null, now, []));
  }

  /** Reads the records (with the state marker, in one script) and keeps them in the near-cache. */
  private async read(services: readonly string[], now: number): Promise<BreakerRecord[]> {
    const ticket = this.cache.ticket();
    try {
      const hashes = await this.bounded.run(async (redis) => {
        // One script with the state marker: a store that lost its state is never read as "every breaker closed".
        const keys = [this.keys.breakerStateMarker, ...services.map((service) => this.keys.circuitBreaker(service))];
        const reply = await breakerScripts.read.run(redis, keys, []);
        throwIfStateLost(PORT, reply);
        return (reply as string[][]).map(hashFromFlatReply);
      });
      return services.map((service, index) => {
        const hash = hashes[index] ?? {};
        const record = recordFromHash(service, hash, now);
        this.cache.store(service, Object.keys(hash).length > 0 ? record : null, ticket);
        this.versioned.keep(service, record, Number(hash.version));
        // The cached record is served as it is (`localView`): the caller gets a copy of its own.
        return copyRecord(record);
      });
    } catch (error) {
      return services.map((service) => this.fallback(service, now, error));
    }
  }

  /**
   * Runs a breaker script. `counted` is the outcome the failure fast path's reply (1) stands for, for the one
   * script that may give it, when this instance sent the version of a record it holds.
   */
  private async transition(
    script: LuaScript,
    service: string,
    policy: BreakerPolicy | null,
    now: number,
    extra: readonly string[],
    counted?: () => ScriptOutcome,
  ): Promise<PermitResult> {
    const ticket = this.cache.ticket();
    const tag = this.origin.next();
    const args = [String(now), this.arguments.common(tag, service, policy), ...extra];
    const keys = this.keysOf(service);
    let outcome: ScriptOutcome;
    try {
      outcome = await this.bounded.run((redis) =>
        script.run(redis, keys, args, (reply) => {
          throwIfStateLost(PORT, reply);
          return reply === 1 && counted ? counted() : outcomeFromReply(service, reply);
        }),
      );
    } catch (error) {
      // It may have been applied all the same: forget what we knew, and report its announcement if it comes.
      this.cache.invalidate(service);
      this.origin.abandon(tag);
      throw error;
    }
    this.cache.store(service, outcome.stored ? outcome.record : null, ticket);
    this.versioned.keep(service, outcome.record, outcome.version);
    // The cached record is served as it is (`localView`): the caller gets a copy of its own.
    const { record, previousState, transition, allowed, reason } = outcome;
    return { record: copyRecord(record), previousState, transition, allowed, reason };
  }

  private keysOf(service: string): readonly string[] {
    let keys = this.scriptKeys.get(service);
    if (keys === undefined) this.scriptKeys.set(service, (keys = [this.keys.breakerStateMarker, this.keys.circuitBreaker(service)]));
    return keys;
  }

  /**
   * failOpen: the last record seen, else a closed one; fail closed: the error, rethrown. A BreakwaterError is the
   * store's own answer (its state is lost), not Redis failing: it is rethrown either way.
   */
  private fallback(service: string, now: number, error: unknown): BreakerRecord {
    if (!this.failOpen || isBreakwaterError(error)) throw error;
    const known = this.cache.lastKnown(service);
    return known ? copyRecord(known) : closedRecord(service, now);
  }

  protected override onDisconnected(): void {
    this.versioned.forgetAll();
  }

  protected override onMessage(raw: string): void {
    const message = decodeAnnouncement(raw, this.origin);
    if (!isBreakerMessage(message)) return;
    this.cache.invalidate(message.service);
    this.versioned.forget(message.service);
    try {
      const transition = transitionFrom(message.transition);
      if (transition === null || message.record === undefined) return;
      this.announce({ service: message.service, transition, record: recordFromHash(message.service, message.record, 0) });
    } catch {
      // Not a transition we know: nothing to report (the cache entry is dropped all the same).
    }
  }
}

/** An HGETALL reply as a script returns it (field, value, field, value …) as a hash. */
function hashFromFlatReply(flat: readonly string[]): BreakerHash {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
  return hash;
}

function withoutPermit(result: PermitResult): TransitionResult {
  return { record: result.record, previousState: result.previousState, transition: result.transition };
}
