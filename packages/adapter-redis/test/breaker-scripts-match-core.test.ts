/**
 * The Lua scripts against their reference: random policies and random sequences of operations, run
 * both through the Redis store (near-cache off, so every call runs its script) and through core's pure
 * functions; every result and every stored record must be identical.
 */
import { applyFailure, applyPermit, applyReset, applyRestore, applySuccess, applyTrip, closedRecord } from '@breakwater/core';
import type { BreakerPolicy, BreakerRecord, FailureInput, PermitResult, TransitionResult } from '@breakwater/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore } from '../src/index.js';
import { closeAll, closeLater, connectRedis, randomPrefix } from './redis-clients.js';

const redis = connectRedis();
const keyPrefix = randomPrefix();
const store = closeLater(new RedisCircuitBreakerStore({ redis, keyPrefix, nearCacheMaxAgeMs: 0 }));
afterAll(closeAll);
beforeAll(async () => {
  await store.initialize({ services: [], paused: [], now: Date.now() });
});

type Operation =
  | { kind: 'failure'; failure: FailureInput }
  | { kind: 'success' }
  | { kind: 'permit' }
  | { kind: 'trip'; reason: string }
  | { kind: 'reset' }
  | { kind: 'get' };

const policyArbitrary: fc.Arbitrary<BreakerPolicy> = fc.record(
  {
    failureThreshold: fc.integer({ min: 1, max: 5 }),
    resetTimeoutMs: fc.integer({ min: 0, max: 2_000 }),
    halfOpenMaxProbes: fc.integer({ min: 1, max: 3 }),
    successThreshold: fc.integer({ min: 1, max: 3 }),
    failureRate: fc.record({
      threshold: fc.constantFrom(0.25, 1 / 3, 0.5, 2 / 3, 1),
      minimumRequests: fc.integer({ min: 1, max: 5 }),
      windowMs: fc.integer({ min: 1, max: 5_000 }),
    }),
  },
  { requiredKeys: ['failureThreshold', 'resetTimeoutMs', 'halfOpenMaxProbes', 'successThreshold'] },
);

const reasonArbitrary = fc.string({ unit: 'grapheme', maxLength: 12 });

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  {
    arbitrary: fc
      .record({ reason: reasonArbitrary, retryAfterMs: fc.integer({ min: 0, max: 10_000 }) }, { requiredKeys: [] })
      .map((failure): Operation => ({ kind: 'failure', failure })),
    weight: 4,
  },
  { arbitrary: fc.constant<Operation>({ kind: 'success' }), weight: 3 },
  { arbitrary: fc.constant<Operation>({ kind: 'permit' }), weight: 3 },
  { arbitrary: reasonArbitrary.map((reason): Operation => ({ kind: 'trip', reason })), weight: 1 },
  { arbitrary: fc.constant<Operation>({ kind: 'reset' }), weight: 1 },
  { arbitrary: fc.constant<Operation>({ kind: 'get' }), weight: 1 },
);

/** core's rules, applied to a record kept in memory (null: never written), as the reference store would. */
class ReferenceBreaker {
  private record: BreakerRecord | null = null;

  constructor(private readonly service: string) {}

  /** What initialize makes of the record that survived a loss of the store's state. */
  restore(pausedReason: string | null, now: number): BreakerRecord {
    this.record = applyRestore(this.record, this.service, pausedReason, now);
    return this.record;
  }

  apply(operation: Operation, policy: BreakerPolicy, now: number): TransitionResult | PermitResult | BreakerRecord {
    const current = this.record ?? closedRecord(this.service, now);
    let result: TransitionResult | PermitResult;
    switch (operation.kind) {
      case 'get':
        return current;
      case 'failure':
        result = applyFailure(current, operation.failure, policy, now);
        break;
      case 'success':
        result = applySuccess(current, policy, now);
        break;
      case 'permit':
        result = applyPermit(current, policy, now);
        break;
      case 'trip':
        result = applyTrip(current, operation.reason, policy, now);
        break;
      case 'reset':
        result = applyReset(current, now);
        break;
    }
    if (result.record !== current) this.record = result.record;
    return result;
  }
}

function runOnStore(service: string, operation: Operation, policy: BreakerPolicy, now: number) {
  switch (operation.kind) {
    case 'get':
      return store.get(service, now);
    case 'failure':
      return store.recordFailure(service, operation.failure, policy, now);
    case 'success':
      return store.recordSuccess(service, policy, now);
    case 'permit':
      return store.acquirePermit(service, policy, now);
    case 'trip':
      return store.trip(service, operation.reason, policy, now);
    case 'reset':
      return store.reset(service, now);
  }
}

describe('breaker scripts', () => {
  it('apply exactly the rules of breaker-transitions.ts', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        policyArbitrary,
        fc.array(fc.tuple(operationArbitrary, fc.integer({ min: 0, max: 3_000 })), { minLength: 1, maxLength: 30 }),
        async (policy, steps) => {
          const service = `property-${run++}`;
          const reference = new ReferenceBreaker(service);
          let now = 1_732_812_345_678;
          for (const [operation, elapsed] of steps) {
            now += elapsed;
            const expected = reference.apply(operation, policy, now);
            const actual = await runOnStore(service, operation, policy, now);
            expect({ operation, result: actual }).toEqual({ operation, result: expected });
          }
          expect(await store.get(service, now)).toEqual(reference.apply({ kind: 'get' }, policy, now));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('initialize rebuilds whatever record survived a loss of the state marker exactly as applyRestore does', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        policyArbitrary,
        fc.array(fc.tuple(operationArbitrary, fc.integer({ min: 0, max: 3_000 })), { maxLength: 12 }),
        fc.option(reasonArbitrary, { nil: null }),
        async (policy, steps, pausedReason) => {
          const service = `restore-${run++}`;
          const reference = new ReferenceBreaker(service);
          let now = 1_732_812_345_678;
          for (const [operation, elapsed] of steps) {
            now += elapsed;
            reference.apply(operation, policy, now);
            await runOnStore(service, operation, policy, now);
          }
          // Redis lost the marker (an eviction, a partial restore) but this record survived.
          await redis.del(`${keyPrefix}breakwater:circuit_breaker_state`);
          now += 1;
          const paused = pausedReason === null ? [] : [{ service, reason: pausedReason }];
          expect(await store.initialize({ services: [service], paused, now })).toBe(true);
          expect(await store.get(service, now)).toEqual(reference.restore(pausedReason, now));
        },
      ),
      { numRuns: 100 },
    );
  });
});
