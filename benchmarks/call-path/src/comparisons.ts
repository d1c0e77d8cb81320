/**
 * The comparisons, each timed in a process of its own (`run-comparison.ts`): Breakwater and the peer it is compared
 * with, and nothing else. A third library in the same process would leave its garbage and timers (opossum keeps
 * a statistics timer and allocates on every call) to be paid for by whoever runs next, and one engine serving
 * two store sets would make its call sites polymorphic, which no application that uses one store set sees.
 */
import { randomUUID } from 'node:crypto';
import { RedisCircuitBreakerStore, RedisQueueStore } from '@breakwater/adapter-redis';
import type { Breakwater } from '@breakwater/core';
import { Redis } from 'ioredis';
import { countCommands } from './command-counter.js';
import {
  TIMEOUT_MS,
  bare,
  breakwaterExecute,
  breakwaterExecuteWithTimeout,
  breakwaterOn,
  breakwaterRecordFailure,
  cockatielExecute,
  inMemoryBreakwater,
  opossumFire,
  rawEvalsha,
} from './contenders.js';
import type { Contender } from './rounds.js';

export const NAMES = {
  bare: 'bare await fn()',
  cockatiel: 'cockatiel 3 execute (consecutive breaker)',
  opossum: 'opossum fire()',
  opossumTimeout: `opossum fire() with a ${TIMEOUT_MS / 1000} s timeout`,
  memory: 'bw.breakers.execute, in-memory stores',
  redis: 'bw.breakers.execute, Redis stores (warm, closed)',
  timeout: `bw.breakers.execute with timeoutMs: ${TIMEOUT_MS}, in-memory stores`,
  evalsha: 'raw EVALSHA of a trivial script',
  failure: 'bw.breakers.recordFailure on the Redis stores',
};

/** What one comparison's process sets up: its contenders, how many calls a round, and how to clean up after. */
export interface ComparisonSetup {
  contenders: Contender[];
  /** Calls a round: in-process calls, or round trips against Redis. */
  roundTrips: boolean;
  /** Commands sent to Redis so far, when the comparison goes through Redis. */
  commands?: () => number;
  close(): Promise<void>;
}

export const COMPARISONS = {
  /** `execute` on the in-memory stores against cockatiel's `execute`. */
  memory: async (): Promise<ComparisonSetup> => {
    const bw = inMemoryBreakwater();
    return {
      contenders: [bare(), cockatielExecute(), breakwaterExecute(NAMES.memory, bw)],
      roundTrips: false,
      close: () => bw.close(),
    };
  },
  /** `execute` on the Redis stores, warm and closed, against cockatiel's `execute`. */
  redis: async (): Promise<ComparisonSetup> => {
    const redis = await redisStores();
    return {
      contenders: [bare(), cockatielExecute(), breakwaterExecute(NAMES.redis, redis.bw)],
      roundTrips: false,
      commands: redis.commands,
      close: redis.close,
    };
  },
  /** `execute` with a timeout against opossum's `fire()` with its timeout (and without, for reference). */
  timeout: async (): Promise<ComparisonSetup> => {
    const bw = inMemoryBreakwater();
    const opossum = opossumFire(false);
    const opossumWithTimeout = opossumFire(TIMEOUT_MS);
    return {
      contenders: [opossum, opossumWithTimeout, breakwaterExecuteWithTimeout(NAMES.timeout, bw, TIMEOUT_MS)],
      roundTrips: false,
      close: async () => {
        opossum.shutdown();
        opossumWithTimeout.shutdown();
        await bw.close();
      },
    };
  },
  /** `recordFailure` on Redis against one raw EVALSHA round trip. */
  failure: async (): Promise<ComparisonSetup> => {
    const redis = await redisStores();
    return {
      contenders: [await rawEvalsha(redis.client), breakwaterRecordFailure(redis.bw)],
      roundTrips: true,
      commands: redis.commands,
      close: redis.close,
    };
  },
} satisfies Record<string, () => Promise<ComparisonSetup>>;

export type ComparisonName = keyof typeof COMPARISONS;

/** A Breakwater on Redis stores under a random key prefix (removed on close), its client's commands counted. */
async function redisStores(): Promise<{ bw: Breakwater; client: Redis; commands: () => number; close(): Promise<void> }> {
  const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const keyPrefix = `bwbench:${randomUUID().slice(0, 8)}:`;
  const breakerStore = new RedisCircuitBreakerStore({ redis: client, keyPrefix });
  const queueStore = new RedisQueueStore({ redis: client, keyPrefix });
  await Promise.all([breakerStore.ready(), queueStore.ready()]);
  const bw = breakwaterOn(breakerStore, queueStore);
  const counter = countCommands(client);
  return {
    bw,
    client,
    commands: () => counter.sent,
    close: async () => {
      await Promise.all([bw.close(), breakerStore.close(), queueStore.close()]);
      const keys = await client.keys(`${keyPrefix}*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    },
  };
}
