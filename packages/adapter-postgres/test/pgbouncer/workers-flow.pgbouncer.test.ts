/**
 * The flow with workers, every statement through PgBouncer in transaction pooling (more pooled clients
 * than server connections), LISTEN on a direct connection: jobs enqueued while the workers idle wake
 * them, a failing service trips and pauses everything, a reset resumes nothing, resumeQueue resumes and
 * the workers finish every job.
 */
import { InMemoryCircuitBreakerStore, InMemoryQueueStore, type Worker, createBreakwater } from '@breakwater/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCampaignRepository } from '../../src/index.js';
import { databaseUrl } from '../database.js';
import { LocalPgBouncer } from './local-pgbouncer.js';
import { SchemasBehindPgBouncer } from './schemas-behind-pgbouncer.js';

const SERVER_CONNECTIONS = 3;
const CAMPAIGNS = 4;
const JOBS_PER_SERVICE = 5;
const SERVICES = ['apollo', 'perplexity'];
const TOTAL_JOBS = CAMPAIGNS * JOBS_PER_SERVICE * SERVICES.length;

let bouncer: LocalPgBouncer;
let schemas: SchemasBehindPgBouncer;

beforeAll(async () => {
  bouncer = await LocalPgBouncer.start({ databaseUrl: databaseUrl(), poolSize: SERVER_CONNECTIONS });
  schemas = new SchemasBehindPgBouncer(bouncer, 10);
});
afterAll(async () => {
  await schemas?.destroy();
  await bouncer?.stop();
});

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('workers through PgBouncer (pool_mode = transaction)', () => {
  it('wake on enqueues, trip, pause, reset resumes nothing, resumeQueue resumes, every job completes', async () => {
    const { schema, names } = await schemas.create();
    const campaigns = new PostgresCampaignRepository({
      knex: schemas.pooled,
      listenKnex: schemas.direct,
      preparedStatements: false,
      notifyChannel: `jobs_${schema}`,
      ...names,
    });
    const bw = createBreakwater({
      services: SERVICES,
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      campaigns,
      policy: { failureThreshold: 3, resetTimeoutMs: 60_000 },
    });
    let apolloDown = true;
    const workers: Worker[] = SERVICES.map((service) =>
      bw.createWorker({
        service,
        concurrency: 3,
        // Far longer than the test: a worker moves only when a wake-up (LISTEN, or a resume) reaches it.
        pollIntervalMs: 60_000,
        backoff: () => 10,
        maxAttempts: 10,
        handler: async () => {
          if (service === 'apollo' && apolloDown) throw new Error('HTTP 503 from Apollo');
          return { ok: true };
        },
      }),
    );
    await Promise.all(workers.map((worker) => worker.start()));
    try {
      // The workers have polled once and found nothing: from here on, only wake-ups move them. The
      // campaigns are drafted with their jobs, all started, then each gets its last jobs: those
      // enqueues' notifications are what wake the workers.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const drafted = [];
      for (let i = 0; i < CAMPAIGNS; i += 1) {
        const campaign = await campaigns.createCampaign({ name: `Wave ${i + 1}`, status: 'DRAFT' });
        for (const service of SERVICES) {
          for (let j = 1; j < JOBS_PER_SERVICE; j += 1)
            await campaigns.enqueueJob({ campaignId: campaign.id, service, payload: { lead: j } });
        }
        drafted.push(campaign);
      }
      for (const campaign of drafted) await campaigns.transitionCampaign(campaign.id, 'RUNNING');
      for (const campaign of drafted) {
        for (const service of SERVICES) await campaigns.enqueueJob({ campaignId: campaign.id, service, payload: { lead: 0 } });
      }

      await until(
        'apollo to trip and every campaign to pause',
        async () => (await campaigns.countCampaignsByStatus()).PAUSED === CAMPAIGNS,
      );
      expect((await bw.breakers.get('apollo')).state).toBe('open');
      expect(await campaigns.countJobsByStatus({ service: 'apollo' })).toMatchObject({ FAILED: 0, PENDING: 0 });
      await expect(bw.resumeQueue()).rejects.toThrow('Cannot resume queue: Circuit breakers still open for: apollo (open)');

      apolloDown = false;
      await bw.breakers.reset('apollo');
      expect((await campaigns.countCampaignsByStatus()).PAUSED).toBe(CAMPAIGNS);

      const pausedJobs = (await campaigns.countJobsByStatus()).PAUSED;
      const report = await bw.resumeQueue({ requestedBy: 'operator' });
      expect(report).toMatchObject({
        queueResumed: true,
        campaignsEligible: CAMPAIGNS,
        campaignsResumed: CAMPAIGNS,
        campaignResumeErrors: [],
      });
      expect(report.jobsResumed).toBe(pausedJobs);

      await until('every job to complete', async () => (await campaigns.countJobsByStatus()).COMPLETED === TOTAL_JOBS);
      expect(await campaigns.countJobsByStatus()).toMatchObject({ COMPLETED: TOTAL_JOBS, FAILED: 0, PAUSED: 0, PENDING: 0, PROCESSING: 0 });
      expect(await campaigns.countCampaignsByStatus()).toMatchObject({ RUNNING: CAMPAIGNS, PAUSED: 0 });
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
      await bw.close();
    }
  });
});
