/**
 * A breaker trips while a resume runs, at a random point of it. Once both have returned, nothing of the
 * tripped service is PENDING, its fence is up and no campaign runs, whatever the interleaving; the report
 * counts exactly the jobs the resume moved. (The same race under 120 seeded interleavings of every store
 * call is in packages/core/test/invariants.property.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FaultWorld, SERVICES } from '../src/fault-world.js';
import { expectPaused } from '../src/invariants.js';
import { TRIALS } from '../src/trials.js';

const SEED = { campaigns: 20, jobsPerService: 6 };
const JOBS = SEED.campaigns * SEED.jobsPerService * SERVICES.length;
let world: FaultWorld;
/** Trials whose trip began before the resume returned. */
const racedTrials: number[] = [];

beforeAll(async () => {
  world = await FaultWorld.create(inject('databaseUrl'));
});
afterAll(() => world.close());

describe('a trip racing a resume', () => {
  it.each(Array.from({ length: TRIALS.tripRacingResume }, (_, i) => i + 1))(
    'leaves nothing of the tripped service to run, and the report counts what it moved (trial %i)',
    async () => {
      await world.db.raw('TRUNCATE jobs, campaigns, breakwater_service_fences RESTART IDENTITY CASCADE');
      await world.seed(SEED);
      const perService: number[] = [];
      // The trip starts at a random one of the resume's log lines before its last (requested, prerequisites
      // met, each service, each campaign): always while the resume runs, whatever the machine's speed, at a
      // random step of it.
      const tripAtLine = Math.floor(Math.random() * (2 + SERVICES.length + SEED.campaigns));
      let linesSeen = 0;
      let resumeRunning = false;
      let trip: Promise<unknown> | null = null;
      const logger = {
        debug: () => {},
        warn: () => {},
        error: () => {},
        info: (fields: unknown, message?: string) => {
          const match = /^Queue resume: (\d+) jobs resumed for /.exec(message ?? '');
          if (match) perService.push(Number(match[1]));
          if (resumeRunning && linesSeen++ === tripAtLine) trip = instance.bw.breakers.trip('apollo', 'outage again');
        },
      };
      const instance = await world.instance({ reconcileIntervalMs: 0, logger });
      const { bw } = instance;
      for (const service of SERVICES) await bw.breakers.trip(service, 'outage');
      for (const service of SERVICES) await bw.breakers.reset(service);
      expect((await world.rows()).jobs.apollo).toEqual({ PAUSED: JOBS / SERVICES.length });

      resumeRunning = true;
      const report = await bw.resumeQueue();
      resumeRunning = false;
      if (trip) racedTrials.push(1);
      await (trip ?? bw.breakers.trip('apollo', 'outage again'));

      const rows = await world.rows();
      expectPaused(rows, 'apollo');
      expect(rows.totalJobs).toBe(JOBS);
      // Exact counts: the per-service lines add up to jobs_resumed, and no job is counted twice.
      expect(report.jobsResumed).toBe(perService.reduce((sum, n) => sum + n, 0));
      expect(report.jobsResumed + report.campaignJobsResumed).toBeLessThanOrEqual(JOBS);
      for (const service of SERVICES.filter((name) => name !== 'apollo')) {
        expect(rows.jobs[service], service).toEqual({ PENDING: JOBS / SERVICES.length });
      }
      await instance.close();
    },
  );

  it('every trip began while the resume ran', () => {
    expect(racedTrials.length).toBe(TRIALS.tripRacingResume);
  });
});
