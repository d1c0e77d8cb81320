/**
 * What runs in the benchmark: Breakwater's call path on the in-memory and the Redis stores, and beside
 * it the same no-op call through cockatiel 3 and opossum, a bare await, and one raw EVALSHA round trip.
 */
import { InMemoryCampaignRepository, InMemoryCircuitBreakerStore, InMemoryQueueStore, createBreakwater } from '@breakwater/core';
import type { Breakwater, CircuitBreakerStore, QueueStore } from '@breakwater/core';
import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import type { Redis } from 'ioredis';
import CircuitBreaker from 'opossum';
import type { Contender } from './rounds.js';

/** The call every contender wraps: resolves at once, so what is measured is the wrapper. */
const noop = async () => 42;

export const TIMEOUT_MS = 10_000;

/** A Breakwater on these stores; a threshold no run reaches, so failures never open the breaker. */
export function breakwaterOn(breakerStore: CircuitBreakerStore, queueStore: QueueStore): Breakwater {
  return createBreakwater({
    services: ['apollo', 'openai'],
    breakerStore,
    queueStore,
    campaigns: new InMemoryCampaignRepository(),
    policy: { failureThreshold: 1e9 },
    reconcileIntervalMs: 0,
  });
}

export function inMemoryBreakwater(): Breakwater {
  return breakwaterOn(new InMemoryCircuitBreakerStore(), new InMemoryQueueStore());
}

// Every contender has a loop of its own (not one shared helper): a call site shared by all would turn
// megamorphic and add the same cost to every call, which flattens the ratios.

export function bare(): Contender {
  return {
    name: 'bare await fn()',
    async run(calls) {
      for (let i = 0; i < calls; i++) await noop();
    },
  };
}

export function cockatielExecute(): Contender {
  const policy = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
  return {
    name: 'cockatiel 3 execute (consecutive breaker)',
    async run(calls) {
      for (let i = 0; i < calls; i++) await policy.execute(noop);
    },
  };
}

/** opossum's fire(), with or without its timeout; `shutdown` stops its statistics timer. */
export function opossumFire(timeout: number | false): Contender & { shutdown(): void } {
  const breaker = new CircuitBreaker(noop, { timeout });
  if (timeout === false) {
    return {
      name: 'opossum fire()',
      async run(calls) {
        for (let i = 0; i < calls; i++) await breaker.fire();
      },
      shutdown: () => breaker.shutdown(),
    };
  }
  return {
    name: `opossum fire() with a ${timeout / 1000} s timeout`,
    async run(calls) {
      for (let i = 0; i < calls; i++) await breaker.fire();
    },
    shutdown: () => breaker.shutdown(),
  };
}

export function breakwaterExecute(name: string, bw: Breakwater): Contender {
  return {
    name,
    async run(calls) {
      for (let i = 0; i < calls; i++) await bw.breakers.execute('apollo', noop);
    },
  };
}

export function breakwaterExecuteWithTimeout(name: string, bw: Breakwater, timeoutMs: number): Contender {
  const options = { timeoutMs };
  return {
    name,
    async run(calls) {
      for (let i = 0; i < calls; i++) await bw.breakers.execute('apollo', noop, options);
    },
  };
}

/** One EVALSHA of a script that does nothing: a round trip and nothing else. */
export async function rawEvalsha(redis: Redis): Promise<Contender> {
  const sha = (await redis.script('LOAD', 'return 1')) as string;
  return {
    name: 'raw EVALSHA of a trivial script',
    async run(calls) {
      for (let i = 0; i < calls; i++) await redis.evalsha(sha, 0);
    },
  };
}

export function breakwaterRecordFailure(bw: Breakwater): Contender {
  const failure = { reason: 'HTTP 503' };
  return {
    name: 'bw.breakers.recordFailure on the Redis stores',
    async run(calls) {
      for (let i = 0; i < calls; i++) await bw.breakers.recordFailure('openai', failure);
    },
  };
}
