/**
 * A process is killed (SIGKILL) at a random point of its resume: between any two of its steps, or in the
 * middle of one. Its lock expires, nothing is lost, no row is left in a state the design does not allow,
 * and a rerun completes the resume.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FaultWorld, SERVICES } from '../src/fault-world.js';
import { eventually, expectAllResumed } from '../src/invariants.js';
import { startResumingProcess } from '../src/resuming-process.js';
import { TRIALS } from '../src/trials.js';

const SEED = { campaigns: 24, jobsPerService: 6 };
const JOBS = SEED.campaigns * SEED.jobsPerService * SERVICES.length;
const LOCK_TTL_MS = 800;
let world: FaultWorld;
/**
 * How long the resumes took that nothing killed: a first one before the trials, then every trial whose kill came
 * after its resume had finished. The kills are spread over the median, so they keep landing mid-resume when the
 * machine's speed changes under the trials (other test files running beside them, or not any more).
 */
const resumeDurations: number[] = [];
const killedMidResume: number[] = [];

function typicalResumeMs(): number {
  const sorted = [...resumeDurations].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

beforeAll(async () => {
  world = await FaultWorld.create(inject('databaseUrl'));
  await pausedFleet();
  const child = startResumingProcess(childEnv());
  resumeDurations.push(await child.done);
  await child.exited;
});
afterAll(() => world.close());

function childEnv() {
  return { redisUrl: world.redisServer.url, databaseUrl: inject('databaseUrl'), schema: world.schema.name, lockTtlMs: LOCK_TTL_MS };
}

/** Every service tripped and reset, as an operator leaves it before resuming: everything paused, every breaker closed. */
async function pausedFleet(): Promise<void> {
  await world.db.raw('TRUNCATE jobs, campaigns, breakwater_service_fences RESTART IDENTITY CASCADE');
  await world.seed(SEED);
  const setup = await world.instance({ reconcileIntervalMs: 0 });
  await setup.redis.flushall();
  for (const service of SERVICES) await setup.bw.breakers.trip(service, 'outage');
  for (const service of SERVICES) await setup.bw.breakers.reset(service);
  await setup.close();
}

describe('a resuming process killed at a random point', () => {
  it.each(Array.from({ length: TRIALS.resumingProcessKilled }, (_, i) => i + 1))(
    'loses nothing and a rerun completes (trial %i)',
    async () => {
      await pausedFleet();
      const child = startResumingProcess(childEnv());
      await child.resuming;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * typicalResumeMs()));
      if (await child.kill()) killedMidResume.push(1);
      else resumeDurations.push(await child.done);

      // What the kill left: every job and campaign still there, each in a state a resume can take on.
      const left = await world.rows();
      expect(left.totalJobs).toBe(JOBS);
      for (const statuses of Object.values(left.jobs)) {
        for (const status of Object.keys(statuses)) expect(['PENDING', 'PAUSED']).toContain(status);
      }
      for (const status of Object.keys(left.campaigns)) expect(['RUNNING', 'PAUSED']).toContain(status);

      const rerun = await world.instance({ reconcileIntervalMs: 0 });
      // The dead process's lock expires on its own.
      await eventually(async () => expect(await rerun.bw.queueStore.isResumeLocked()).toBe(false), 5_000);
      await rerun.bw.resumeQueue();
      expectAllResumed(await world.rows(), { campaigns: SEED.campaigns, jobs: JOBS });
      expect((await rerun.bw.queueStore.getStates(SERVICES)).map((queue) => queue.state)).toEqual(SERVICES.map(() => 'ACTIVE'));
      await rerun.close();
    },
  );

  it('most kills landed in the middle of a resume (the trials are not all after it)', () => {
    expect(resumeDurations[0]).toBeGreaterThan(0);
    expect(killedMidResume.length).toBeGreaterThanOrEqual(TRIALS.resumingProcessKilled / 2);
  });
});
