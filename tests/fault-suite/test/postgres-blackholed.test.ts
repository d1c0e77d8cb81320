/**
 * Postgres goes silent (connections accepted, nothing answered): a resume fails within its limits with an
 * error that says what happened, releases the cluster-wide lock, and a rerun completes once Postgres answers.
 * An instance starting against a silent Postgres fails as fast, naming the server and the time waited.
 */
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { FaultWorld, SERVICES } from '../src/fault-world.js';
import { expectAllResumed } from '../src/invariants.js';
import { TRIALS } from '../src/trials.js';

const SEED = { campaigns: 6, jobsPerService: 4 };
let world: FaultWorld;

beforeEach(async () => {
  world = await FaultWorld.create(inject('databaseUrl'));
  await world.seed(SEED);
});
afterEach(() => world.close());

describe('a black-holed Postgres', () => {
  it.each(Array.from({ length: TRIALS.postgresBlackholedDuringResume }, (_, i) => i + 1))(
    'during a resume: it fails within its limit, the lock is released, a rerun completes (trial %i)',
    async () => {
      const limits = { statementTimeoutMs: 800, connectTimeoutMs: 800, resumeStallTimeoutMs: 3_000 };
      const instance = await world.instance(limits);
      const { bw } = instance;
      await bw.breakers.trip('apollo', 'HTTP 503');
      await bw.breakers.reset('apollo');

      world.postgresProxy.blackhole();
      const startedAt = Date.now();
      const failure = await bw.resumeQueue().catch((error: unknown) => error);
      const tookMs = Date.now() - startedAt;
      expect(failure).toMatchObject({ code: expect.stringMatching(/^(STORE_ERROR|RESUME_STALLED)$/) });
      expect((failure as Error).message).toMatch(
        /no answer from PostgreSQL within 800 ms|No PostgreSQL connection within 800 ms|made no progress/,
      );
      expect(tookMs).toBeLessThan(limits.resumeStallTimeoutMs + 1_000);
      // Another instance can take the lock at once: nobody waits for the stuck one.
      const other = await world.instance({ reconcileIntervalMs: 0 });
      expect(await other.bw.queueStore.isResumeLocked()).toBe(false);

      await world.postgresProxy.restore();
      await expect(other.bw.resumeQueue()).resolves.toMatchObject({ campaignsResumed: SEED.campaigns });
      expectAllResumed(await world.rows(), { campaigns: SEED.campaigns, jobs: SEED.campaigns * SEED.jobsPerService * SERVICES.length });
    },
  );

  it.each(Array.from({ length: TRIALS.postgresBlackholedAtStartup }, (_, i) => i + 1))(
    'at startup: the first call fails within connectTimeoutMs, naming the server and the time waited (trial %i)',
    async () => {
      world.postgresProxy.blackhole();
      const instance = await world.instance({ connectTimeoutMs: 1_000, reconcileIntervalMs: 0 });
      const startedAt = Date.now();
      await expect(instance.bw.campaigns.countCampaignsByStatus()).rejects.toMatchObject({
        code: 'STORE_ERROR',
        message: `CampaignRepository.countCampaignsByStatus failed: No PostgreSQL connection within 1000 ms (connectTimeoutMs): connecting to 127.0.0.1:${world.postgresProxy.port} got no answer`,
      });
      expect(Date.now() - startedAt).toBeLessThan(2_500);
    },
  );
});
