/**
 * Redis comes back empty (restarted without persistence, or flushed) after a trip: the breaker and queue
 * states it held are gone. In the process that was running and in a fresh one, no call reaches the tripped
 * service and no resume succeeds until an operator resets its breaker: the stores are rebuilt from the
 * fences Postgres kept.
 */
import { CircuitOpenError, PrerequisitesNotMetError, isBreakwaterError } from '@breakwater/core';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { FaultWorld, type Instance, SERVICES } from '../src/fault-world.js';
import { eventually, expectAllResumed, expectPaused } from '../src/invariants.js';
import { TRIALS } from '../src/trials.js';

const SEED = { campaigns: 4, jobsPerService: 3 };
const JOBS = SEED.campaigns * SEED.jobsPerService * SERVICES.length;
let world: FaultWorld;

beforeEach(async () => {
  world = await FaultWorld.create(inject('databaseUrl'));
  await world.seed(SEED);
});
afterEach(() => world.close());

/**
 * Calls apollo for `forMs` (through the outage and the rebuild): the call must never run. Returns what
 * the last call was refused with.
 */
async function callsNeverReachApollo(instance: Instance, forMs: number): Promise<unknown> {
  let reached = 0;
  let last: unknown = null;
  const until = Date.now() + forMs;
  while (Date.now() < until) {
    last = await instance.bw.breakers
      .execute('apollo', async () => {
        reached += 1;
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(reached, 'calls that reached apollo').toBe(0);
  return last;
}

/** What a rebuilt system must look like, then the operator's way back. */
async function expectStillPausedUntilReset(instance: Instance): Promise<void> {
  const { bw } = instance;
  const refusal = await callsNeverReachApollo(instance, 400);
  expect(refusal).toBeInstanceOf(CircuitOpenError);
  const apollo = await bw.breakers.get('apollo');
  expect(apollo).toMatchObject({ state: 'open', latched: true });
  expect(apollo.lastFailureReason).toMatch(/^Breaker state was lost by its store while apollo was paused/);
  const status = await bw.status();
  expect(status.canResume).toBe(false);
  expect(status.blockedBy).toEqual([{ service: 'apollo', reason: 'open' }]);
  expect(status.queues.find((queue) => queue.service === 'apollo')?.state).toBe('PAUSED');
  await expect(bw.resumeQueue()).rejects.toBeInstanceOf(PrerequisitesNotMetError);
  expectPaused(await world.rows(), 'apollo');

  await bw.breakers.reset('apollo');
  await expect(bw.resumeQueue()).resolves.toMatchObject({ campaignsResumed: SEED.campaigns });
  expectAllResumed(await world.rows(), { campaigns: SEED.campaigns, jobs: JOBS });
  expect(await bw.breakers.execute('apollo', async () => 'reached')).toBe('reached');
}

async function tripApollo(instance: Instance): Promise<void> {
  await instance.bw.breakers.trip('apollo', 'HTTP 503 from Apollo');
  expectPaused(await world.rows(), 'apollo');
}

/** Waits until the instance's Redis client is back after a restart. */
async function reconnected(instance: Instance): Promise<void> {
  await eventually(async () => expect(await instance.redis.ping()).toBe('PONG'));
}

describe('Redis restarted empty after a trip', () => {
  it.each(Array.from({ length: TRIALS.redisRestartedEmptySameProcess }, (_, i) => i + 1))(
    'in the process that was running: nothing reaches the service, no resume without a reset (trial %i)',
    async () => {
      const instance = await world.instance();
      await tripApollo(instance);
      await world.redisServer.kill();
      await world.redisServer.restart();
      await expectStillPausedUntilReset(instance);
    },
  );

  it.each(Array.from({ length: TRIALS.redisRestartedEmptyFreshProcess }, (_, i) => i + 1))(
    'in a freshly started one: the same (trial %i)',
    async () => {
      const before = await world.instance();
      await tripApollo(before);
      await before.close();
      await world.redisServer.kill();
      await world.redisServer.restart();

      const fresh = await world.instance();
      await reconnected(fresh);
      await expectStillPausedUntilReset(fresh);
    },
  );

  it.each(Array.from({ length: TRIALS.redisFlushedWithoutRestart }, (_, i) => i + 1))(
    'flushed without a restart: the same, once the near-cache has aged out (trial %i)',
    async () => {
      const instance = await world.instance();
      await tripApollo(instance);
      await instance.redis.flushall();
      // Within the near-cache's bound (1 s) the last state read may still answer: open, so refused too.
      await callsNeverReachApollo(instance, 1_200);
      await expectStillPausedUntilReset(instance);
    },
  );

  it('the reconciler rebuilds the stores on its own, with no call made', async () => {
    const instance = await world.instance();
    await tripApollo(instance);
    await world.redisServer.kill();
    await world.redisServer.restart();
    // Only the reconciler's timer uses the stores now.
    await eventually(async () => {
      const raw = await instance.redis.hgetall('circuit_breaker:apollo');
      expect(raw).toMatchObject({ state: 'open', latched: 'true' });
    });
    expect(await instance.redis.hget('queue_status', 'apollo')).toBe('PAUSED');
    for (const service of SERVICES.filter((name) => name !== 'apollo')) {
      expect(await instance.redis.hgetall(`circuit_breaker:${service}`)).toMatchObject({ state: 'closed', failure_count: '0' });
    }
  });

  it('a store that cannot be rebuilt (Postgres down too) stays shut: calls fail, none reaches the service', async () => {
    const instance = await world.instance();
    await tripApollo(instance);
    await world.postgresProxy.cut();
    await world.redisServer.kill();
    await world.redisServer.restart();
    await reconnected(instance);
    const refusal = await callsNeverReachApollo(instance, 300);
    expect(isBreakwaterError(refusal) && refusal.code).toBe('STORE_ERROR');
    let healthyCalls = 0;
    const healthyRefusal = await instance.bw.breakers
      .execute('perplexity', async () => {
        healthyCalls += 1;
      })
      .catch((error: unknown) => error);
    expect(isBreakwaterError(healthyRefusal) && healthyRefusal.code).toBe('STORE_ERROR');
    expect(healthyCalls, 'no store state means no decision: fail closed').toBe(0);

    await world.postgresProxy.restore();
    await eventually(async () => expect((await instance.bw.breakers.get('apollo')).state).toBe('open'));
  });
});
