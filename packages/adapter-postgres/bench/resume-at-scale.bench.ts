/**
 * resumeQueue at scale on PostgreSQL, against two baselines measured in the same run:
 *   - the floor: the two raw set-based UPDATEs (campaigns, then jobs) on identical data;
 *   - the naive way: one transaction per campaign, timed on a sample and extrapolated linearly.
 * Every measurement gets a freshly generated, vacuumed and analysed fleet of its own.
 *
 *   pnpm bench                                  100,000 paused campaigns, 1,000,000 paused jobs
 *   BENCH_CAMPAIGNS=10000 pnpm bench            a quick run
 * Also: BENCH_JOBS_PER_CAMPAIGN (10), BENCH_SAMPLE (2000, the per-campaign sample), BENCH_ROUNDS (1),
 * BENCH_RESUME_BATCH / BENCH_CHUNK / BENCH_CONCURRENCY (repository options), BENCH_PAGE (resumeQueue's page
 * size), DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { InMemoryCircuitBreakerStore, InMemoryQueueStore, createBreakwater } from '@breakwater/core';
import knexFactory, { type Knex } from 'knex';
import { PostgresCampaignRepository, migrate } from '../src/index.js';
import { FLEET_SERVICES, generatePausedFleet } from '../test/paused-fleet.js';

const RESUMED = 'Campaign resumed - services are available';
const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const campaigns = env('BENCH_CAMPAIGNS', 100_000);
const jobsPerCampaign = env('BENCH_JOBS_PER_CAMPAIGN', 10);
const sampleSize = Math.min(env('BENCH_SAMPLE', 2_000), campaigns);
const rounds = env('BENCH_ROUNDS', 1);
const repositoryOptions = {
  ...(process.env.BENCH_RESUME_BATCH ? { resumeBatchSize: env('BENCH_RESUME_BATCH', 0) } : {}),
  ...(process.env.BENCH_CHUNK ? { jobResumeChunkSize: env('BENCH_CHUNK', 0) } : {}),
  ...(process.env.BENCH_CONCURRENCY ? { jobResumeConcurrency: env('BENCH_CONCURRENCY', 0) } : {}),
};
const pageSize = process.env.BENCH_PAGE ? env('BENCH_PAGE', 0) : undefined;
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

/** A fresh schema holding a freshly generated paused fleet; `drop` removes it. */
async function freshFleet(size: number): Promise<{ knex: Knex; drop: () => Promise<void> }> {
  const schema = `bw_bench_${randomBytes(4).toString('hex')}`;
  const knex = knexFactory({ client: 'pg', connection: url, searchPath: [schema], pool: { min: 0, max: 10 } });
  await knex.raw('CREATE SCHEMA ??', [schema]);
  await migrate(knex);
  await generatePausedFleet(knex, { campaigns: size, jobsPerCampaign });
  await knex.raw('VACUUM ANALYZE campaigns, jobs');
  await knex.raw('CHECKPOINT');
  return {
    knex,
    drop: async () => {
      await knex.raw('DROP SCHEMA ?? CASCADE', [schema]);
      await knex.destroy();
    },
  };
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function expectAllResumed(knex: Knex, label: string): Promise<void> {
  const { rows } = await knex.raw(`SELECT
    (SELECT count(*) FROM campaigns WHERE status <> 'RUNNING')::int AS campaigns_left,
    (SELECT count(*) FROM jobs WHERE status <> 'PENDING' OR error IS NOT NULL)::int AS jobs_left`);
  if (rows[0].campaigns_left !== 0 || rows[0].jobs_left !== 0) throw new Error(`${label} left work undone: ${JSON.stringify(rows[0])}`);
}

/** The floor: the two set-based UPDATEs, for everything at once. */
async function rawUpdates(): Promise<number> {
  const fleet = await freshFleet(campaigns);
  try {
    const ms = await timed(async () => {
      await fleet.knex.raw(`UPDATE campaigns SET status = 'RUNNING', status_message = ?, updated_at = now() WHERE status = 'PAUSED'`, [
        RESUMED,
      ]);
      await fleet.knex.raw(`UPDATE jobs SET status = 'PENDING', error = NULL, updated_at = now() WHERE status = 'PAUSED'`);
    });
    await expectAllResumed(fleet.knex, 'the raw UPDATEs');
    return ms;
  } finally {
    await fleet.drop();
  }
}

/** What is measured: resumeQueue through createBreakwater with this repository. */
async function resumeQueue(): Promise<{ ms: number; peakRssMb: number }> {
  const fleet = await freshFleet(campaigns);
  try {
    const bw = createBreakwater({
      services: FLEET_SERVICES,
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      campaigns: new PostgresCampaignRepository({ knex: fleet.knex, ...repositoryOptions }),
      logger: silent,
      ...(pageSize === undefined ? {} : { resumeBatchSize: pageSize }),
    });
    let report: Awaited<ReturnType<typeof bw.resumeQueue>> | undefined;
    const ms = await timed(async () => {
      report = await bw.resumeQueue();
    });
    await bw.close();
    if (report?.campaignsResumed !== campaigns || report.jobsResumed !== campaigns * jobsPerCampaign) {
      throw new Error(`unexpected report: ${report?.message}`);
    }
    await expectAllResumed(fleet.knex, 'resumeQueue');
    return { ms, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await fleet.drop();
  }
}

/** The naive loop: one transaction per campaign (its row, then its jobs), on a sample. */
async function perCampaignTransactions(): Promise<number> {
  const fleet = await freshFleet(sampleSize);
  try {
    const ids = (await fleet.knex.raw(`SELECT id FROM campaigns WHERE status = 'PAUSED' ORDER BY id`)).rows.map(
      (row: { id: string }) => row.id,
    );
    const ms = await timed(async () => {
      for (const id of ids) {
        await fleet.knex.transaction(async (trx) => {
          await trx.raw(
            `UPDATE campaigns SET status = 'RUNNING', status_message = ?, updated_at = now() WHERE id = ? AND status = 'PAUSED'`,
            [RESUMED, id],
          );
          await trx.raw(
            `UPDATE jobs SET status = 'PENDING', error = NULL, updated_at = now() WHERE campaign_id = ? AND status = 'PAUSED'`,
            [id],
          );
        });
      }
    });
    await expectAllResumed(fleet.knex, 'the per-campaign loop');
    return ms;
  } finally {
    await fleet.drop();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

console.log(
  `resume at scale: ${campaigns.toLocaleString('en')} paused campaigns, ${(campaigns * jobsPerCampaign).toLocaleString('en')} paused jobs`,
);
console.log(`repository options: ${JSON.stringify(repositoryOptions)}; resumeQueue page size: ${pageSize ?? 'default'}`);
const raw: number[] = [];
const ours: number[] = [];
let peakRssMb = 0;
for (let round = 1; round <= rounds; round += 1) {
  // Alternate the order, so neither side always runs on a warmer server.
  const results = round % 2 === 1 ? [await rawUpdates(), await resumeQueue()] : [await resumeQueue(), await rawUpdates()].reverse();
  const [rawMs, mine] = results as [number, { ms: number; peakRssMb: number }];
  raw.push(rawMs);
  ours.push(mine.ms);
  peakRssMb = Math.max(peakRssMb, mine.peakRssMb);
  console.log(`round ${round}: raw UPDATEs ${seconds(rawMs)}, resumeQueue ${seconds(mine.ms)} (ratio ${(mine.ms / rawMs).toFixed(2)})`);
}
const perSample = await perCampaignTransactions();
const perCampaignExtrapolated = (perSample / sampleSize) * campaigns;
const rawMs = median(raw);
const oursMs = median(ours);
console.log('');
console.log(`raw set-based UPDATEs (campaigns + jobs)       ${seconds(rawMs)}`);
console.log(`resumeQueue (PostgresCampaignRepository)       ${seconds(oursMs)}`);
console.log(
  `one transaction per campaign (extrapolated)    ${seconds(perCampaignExtrapolated)}  (${sampleSize.toLocaleString('en')} campaigns took ${seconds(perSample)})`,
);
console.log(`ratio resumeQueue / raw UPDATEs                ${(oursMs / rawMs).toFixed(2)}  (target ≤ 1.30)`);
console.log(`speed-up over one transaction per campaign     ${(perCampaignExtrapolated / oursMs).toFixed(1)}×`);
console.log(`peak RSS of this process                       ${peakRssMb.toFixed(0)} MB`);
