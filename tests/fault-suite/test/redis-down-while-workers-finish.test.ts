/**
 * Redis dies (SIGKILL) while workers are in the middle of their jobs, and comes back empty a moment later.
 * A job's outcome is recorded with Postgres alone, so no job whose handler finished runs again; once Redis
 * is back (and rebuilt from the fences: none are up) every job completes, each handler run exactly once.
 */
import type { Worker } from '@breakwater/core';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { FaultWorld, SERVICES } from '../src/fault-world.js';
import { eventually } from '../src/invariants.js';
import { TRIALS } from '../src/trials.js';

const SEED = { campaigns: 6, jobsPerService: 4 };
const JOBS = SEED.campaigns * SEED.jobsPerService * SERVICES.length;
let world: FaultWorld;

beforeEach(async () => {
  world = await FaultWorld.create(inject('databaseUrl'));
  await world.seed(SEED);
});
afterEach(() => world.close());

describe('Redis down while workers finish their jobs', () => {
  it.each(Array.from({ length: TRIALS.redisDownWhileWorkersFinish }, (_, i) => i + 1))(
    'no job runs twice; every job completes once Redis is back (trial %i)',
    async () => {
      const instance = await world.instance();
      const runs = new Map<string, number>();
      let inFlight = 0;
      const workers: Worker[] = SERVICES.map((service) =>
        instance.bw.createWorker({
          service,
          concurrency: 3,
          pollIntervalMs: 50,
          leaseMs: 2_000,
          handler: async (job) => {
            runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
            inFlight += 1;
            await new Promise((resolve) => setTimeout(resolve, 40));
            inFlight -= 1;
            return { sent: job.id };
          },
        }),
      );
      await Promise.all(workers.map((worker) => worker.start()));
      await eventually(() => expect(inFlight).toBeGreaterThan(0));
      await world.redisServer.kill();
      // Past every lease: a job whose outcome had not been recorded would be claimed again.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await world.redisServer.restart();

      await eventually(
        async () =>
          expect((await world.rows()).jobs).toEqual(Object.fromEntries(SERVICES.map((s) => [s, { COMPLETED: JOBS / SERVICES.length }]))),
        20_000,
      );
      expect(runs.size).toBe(JOBS);
      expect([...runs.values()].filter((count) => count > 1)).toEqual([]);
      await Promise.all(workers.map((worker) => worker.stop()));
    },
  );
});
