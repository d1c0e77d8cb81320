/**
 * A breaker opens while Postgres is unreachable: the cascade stops half-way (the queue paused in Redis,
 * the fence and the campaigns not). The caller still gets its own error, and once Postgres is back the
 * reconciler completes the cascade in every instance, with no further call.
 */
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { FaultWorld, type Instance } from '../src/fault-world.js';
import { eventually, expectPaused } from '../src/invariants.js';
import { TRIALS } from '../src/trials.js';

let world: FaultWorld;

beforeEach(async () => {
  world = await FaultWorld.create(inject('databaseUrl'));
  await world.seed({ campaigns: 5, jobsPerService: 4 });
});
afterEach(() => world.close());

/** Half-done: the breaker open and the queue paused (Redis), the fence down and every campaign still RUNNING (Postgres). */
async function expectHalfDone(instance: Instance): Promise<void> {
  expect((await instance.bw.breakers.get('apollo')).state).toBe('open');
  expect(await instance.redis.hget('queue_status', 'apollo')).toBe('PAUSED');
  const rows = await world.rows();
  expect(rows.fenced).toEqual([]);
  expect(rows.campaigns).toEqual({ RUNNING: 5 });
}

/** Postgres back: no call is made, and the pause completes on its own. */
async function expectCompletedWithoutCalls(): Promise<void> {
  await world.postgresProxy.restore();
  await eventually(async () => expectPaused(await world.rows(), 'apollo'), 15_000);
  const rows = await world.rows();
  expect(rows.jobs.apollo).toEqual({ PAUSED: 20 });
  expect(rows.campaigns).toEqual({ PAUSED: 5 });
}

describe('a breaker that opens while Postgres is down', () => {
  it.each(Array.from({ length: TRIALS.thresholdTripWhilePostgresDown }, (_, i) => i + 1))(
    'by the failure threshold: every caller keeps its own error; the cascade completes once Postgres is back (trial %i)',
    async () => {
      const instance = await world.instance();
      await instance.bw.status(); // running before the outage
      await world.postgresProxy.cut();
      const outage = Object.assign(new Error('HTTP 503 from Apollo'), { status: 503 });
      const errors: string[] = [];
      instance.bw.events.on('store:error', (event) => errors.push(event.during));
      for (let call = 0; call < instance.bw.policy.failureThreshold; call += 1) {
        await expect(instance.bw.breakers.execute('apollo', () => Promise.reject(outage))).rejects.toBe(outage);
      }
      // The opening call's cascade failed: logged and emitted, not thrown in place of the caller's error.
      // (The reconciler's checks fail meanwhile too, and say so as `reconcile`.)
      expect(errors.filter((during) => during !== 'reconcile')).toEqual(['execute:recordFailure']);
      await expectHalfDone(instance);
      await expectCompletedWithoutCalls();
    },
  );

  it.each(Array.from({ length: TRIALS.manualTripWhilePostgresDown }, (_, i) => i + 1))(
    'by an operator’s trip: the trip says the cascade failed; it completes once Postgres is back (trial %i)',
    async () => {
      const instance = await world.instance();
      await instance.bw.status(); // running before the outage
      await world.postgresProxy.cut();
      await expect(instance.bw.breakers.trip('apollo', 'maintenance')).rejects.toMatchObject({
        code: 'STORE_ERROR',
        message: expect.stringMatching(/^CampaignRepository\.pauseJobsForService failed: /),
      });
      await expectHalfDone(instance);
      await expectCompletedWithoutCalls();
    },
  );

  it('another instance, that made no call at all, completes it as well', async () => {
    const tripping = await world.instance({ reconcileIntervalMs: 0 });
    const bystander = await world.instance();
    // Both running before the outage.
    await tripping.bw.status();
    await bystander.bw.status();
    await world.postgresProxy.cut();
    await expect(tripping.bw.breakers.trip('apollo', 'maintenance')).rejects.toMatchObject({ code: 'STORE_ERROR' });
    await tripping.close();
    await expectCompletedWithoutCalls();
    expect(await bystander.redis.hget('queue_status', 'apollo')).toBe('PAUSED');
  });
});
