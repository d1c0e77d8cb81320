import { InvalidOptionsError, rejectUnknownOptions } from '@breakwater/core';
import { requireClusterHashTag } from './cluster-hash-tag.js';
import { type RedisClient, isCluster } from './redis-client.js';

export interface RedisStoreOptions {
  /**
   * An ioredis client the host built and owns; the store never quits it. A `Redis` (one server, or the
   * master found through Sentinel) or a `Cluster`.
   */
  redis: RedisClient;
  /**
   * Put before every key and channel name. Default none: the plain keys of docs/architecture.md#redis. On a
   * Redis Cluster it must carry a hash tag, e.g. `'{bw}:'`, so that all the store's keys are in one slot.
   */
  keyPrefix?: string;
  /** Longest an operation waits for Redis (connecting included) before failing (`StoreError` through Breakwater). Default 2000 ms. */
  operationTimeoutMs?: number;
  /**
   * Longest a value read from Redis is served from this process's near-cache; 0 turns the cache off.
   * A change made elsewhere is seen as soon as its pub/sub message arrives, and never later than this
   * after it was made. Default 1000 ms.
   */
  nearCacheMaxAgeMs?: number;
  /**
   * What reads do while Redis is unreachable. false (default, fail closed): they throw (`StoreError`
   * through Breakwater), so the engine refuses calls. true: they answer from the last values seen, else closed / ACTIVE;
   * writes still throw.
   */
  failOpen?: boolean;
}

export interface ResolvedRedisStoreOptions {
  redis: RedisClient;
  keyPrefix: string;
  operationTimeoutMs: number;
  nearCacheMaxAgeMs: number;
  failOpen: boolean;
}

const OPTION_NAMES = [
  'redis',
  'keyPrefix',
  'operationTimeoutMs',
  'nearCacheMaxAgeMs',
  'failOpen',
] as const satisfies readonly (keyof RedisStoreOptions)[];
// Every option named above: a new one left out fails the typecheck here, not a host's constructor call.
const EVERY_OPTION_NAMED: [Exclude<keyof RedisStoreOptions, (typeof OPTION_NAMES)[number]>] extends [never] ? true : false = true;
void EVERY_OPTION_NAMED;

export const DEFAULT_OPERATION_TIMEOUT_MS = 2000;
export const DEFAULT_NEAR_CACHE_MAX_AGE_MS = 1000;

function duration(name: string, value: unknown, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) {
    throw new InvalidOptionsError(`Option "${name}" must be a number of ms, at least ${minimum}`);
  }
  return value;
}

/**
 * Checks the options once, at construction, with messages that name the option. `known`: the names this store
 * takes, when it takes fewer than the breaker and queue stores (an option it would ignore is refused).
 */
export function resolveRedisStoreOptions(
  store: string,
  options: RedisStoreOptions | undefined,
  known: readonly (keyof RedisStoreOptions)[] = OPTION_NAMES,
): ResolvedRedisStoreOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionsError(`${store} needs options: { redis }`);
  rejectUnknownOptions(store, options, known);
  const { redis, keyPrefix, failOpen } = options;
  if (typeof redis === 'string') {
    throw new InvalidOptionsError(
      `Invalid option "redis": a URL was given; pass an ioredis client built from it (new Redis('${redactedUrl(redis)}')), which the host owns and closes`,
    );
  }
  if (typeof redis !== 'object' || redis === null || typeof (redis as Partial<RedisClient>).duplicate !== 'function') {
    throw new InvalidOptionsError('Missing required option "redis" (an ioredis client)');
  }
  if (keyPrefix !== undefined && typeof keyPrefix !== 'string') throw new InvalidOptionsError('Option "keyPrefix" must be a string');
  if (isCluster(redis)) requireClusterHashTag(store, keyPrefix ?? '');
  if (failOpen !== undefined && typeof failOpen !== 'boolean') throw new InvalidOptionsError('Option "failOpen" must be a boolean');
  return {
    redis,
    keyPrefix: keyPrefix ?? '',
    operationTimeoutMs: duration('operationTimeoutMs', options.operationTimeoutMs, DEFAULT_OPERATION_TIMEOUT_MS, 1),
    nearCacheMaxAgeMs: duration('nearCacheMaxAgeMs', options.nearCacheMaxAgeMs, DEFAULT_NEAR_CACHE_MAX_AGE_MS, 0),
    failOpen: failOpen ?? false,
  };
}

/** The database the host's client works on (channels are server-wide, so their names include it). A Cluster has only 0. */
export function databaseOf(redis: RedisClient): number {
  return isCluster(redis) ? 0 : (redis.options.db ?? 0);
}

/** A URL fit for an error message: its password, if any, replaced. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://…';
  }
}
