/**
 * A breaker trips while a resume runs, at a random point of it. Once both have returned, nothing of the
 * tripped service is PENDING, its fence is up and no campaign runs, whatever the interleaving; the report
 * counts exactly the jobs the resume moved. (The same race under 120 seeded interleavings of every store
 * call is in packages/core/test/invariants.property.test.ts.)
 */
import type { ResumeReport } from '@breakwater/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FaultWorld, SERVICES } from '../src/fault-world.js';
import { expectPaused } from '../src/invariants.js';
import { TRIALS } from '../src/trials.js';

const SEED = { campaigns: 20, jobsPerService: 6 };
const JOBS = SEED.campaigns * SEED.jobsPerService * SERVICES.length;
let world: FaultWorld;
/** Trials whose trip began before the resume returned (the others tripped right after it). */
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
      const logger = {
        debug: () => {},
        warn: () => {},
        error: () => {},
        info: (fields: unknown, message?: string) => {
          const match = /^Queue resume: (\d+) jobs resumed for /.exec(message ?? '');
          if (match) perService.push(Number(match[1]));
        },
      };
      const instance = await world.instance({ reconcileIntervalMs: 0, logger });
      const { bw } = instance;
      for (const service of SERVICES) await bw.breakers.trip(service, 'outage');
      for (const service of SERVICES) await bw.breakers.reset(service);
      expect((await world.rows()).jobs.apollo).toEqual({ PAUSED: JOBS / SERVICES.length });

      let opened = false;
      bw.events.on('breaker:opened', () => (opened = true));
      const resume = bw.resumeQueue().then((report) => {
        if (opened) racedTrials.push(1);
        return report;
      });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
      const trip = bw.breakers.trip('apollo', 'outage again');
      const [report] = (await Promise.all([resume, trip])) as [ResumeReport, unknown];

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

  it('most trips landed while the resume ran', () => {
    expect(racedTrials.length).toBeGreaterThanOrEqual(TRIALS.tripRacingResume / 2);
  });
});
