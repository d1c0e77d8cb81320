/** The set-based pause and the chunked resume of one service's jobs, and the fence between them and the workers. */
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresCampaignRepository } from '../src/index.js';
import { TestDatabases } from './database.js';

const databases = new TestDatabases();
afterEach(() => databases.dropAll());

async function repositoryWithJobs(
  jobs: number,
  options: { jobResumeChunkSize?: number; jobResumeConcurrency?: number; poolMax?: number } = {},
) {
  const { poolMax, ...repositoryOptions } = options;
  const { knex } = await databases.create(poolMax === undefined ? {} : { poolMax });
  const repo = new PostgresCampaignRepository({ knex, ...repositoryOptions });
  const campaign = await repo.createCampaign({ name: 'fleet', status: 'RUNNING' });
  // Two services interleaved, ids past 9, 99 and 999: text order and numeric order differ.
  await knex.raw(
    `INSERT INTO jobs (campaign_id, service, status) SELECT ?, CASE WHEN n % 3 = 0 THEN 'openai' ELSE 'apollo' END, 'PENDING' FROM generate_series(1, ?::int) n`,
    [campaign.id, jobs],
  );
  return { knex, repo, campaign };
}

describe('a service pause and its chunked resume', () => {
  it('resumes every paused job in chunks of ids, exactly once, and only that service', async () => {
    const { knex, repo } = await repositoryWithJobs(1_200, { jobResumeChunkSize: 7 });
    expect(await repo.pauseJobsForService('apollo', 'down')).toBe(800);
    expect(await repo.resumeJobsForService('apollo')).toBe(800);
    const { rows } = await knex.raw(
      `SELECT service, status, count(*)::int AS n, count(error)::int AS errors FROM jobs GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      { service: 'apollo', status: 'PENDING', n: 800, errors: 0 },
      { service: 'openai', status: 'PENDING', n: 400, errors: 0 },
    ]);
  });

  it.each([
    // The next range may ask for the fence row the moment the held one commits and take its share lock before the
    // waiting pause gets the row: then it runs too (and the pause takes it back with the rest).
    { concurrency: 1, resumedBeforePause: [250, 300, 350, 400] },
    // A second range runs beside the held one, and may finish every other range before the pause gets in.
    { concurrency: 2, resumedBeforePause: [250, 300, 350, 400] },
  ])(
    'a pause that lands while a resume walks its chunks ($concurrency at a time) raises the fence again, and the resume stops',
    async ({ concurrency, resumedBeforePause }) => {
      const { knex, repo } = await repositoryWithJobs(600, { jobResumeChunkSize: 50, jobResumeConcurrency: concurrency });
      expect(await repo.pauseJobsForService('apollo', 'first trip')).toBe(400);
      // Another session holds the 201st apollo job, so the resume's fifth chunk (jobs 201–250) waits on it.
      const holder = await knex.transaction();
      const holderPid = (await holder.raw('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      // (The lock is taken on that one row: FOR UPDATE beside OFFSET would also lock the rows skipped.)
      await holder.raw(
        `SELECT id FROM jobs WHERE id = (SELECT id FROM jobs WHERE service = 'apollo' ORDER BY id OFFSET 200 LIMIT 1) FOR UPDATE`,
      );
      const blockedBy = async (pid: number) => {
        for (;;) {
          const { rows } = await knex.raw('SELECT pid FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))', [pid]);
          if (rows[0]) return rows[0].pid as number;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };

      const resume = repo.resumeJobsForService('apollo');
      const chunkPid = await blockedBy(holderPid);
      // A second trip's pause now waits for that chunk (it holds the fence row FOR SHARE).
      const pause = repo.pauseJobsForService('apollo', 'second trip');
      await blockedBy(chunkPid);
      await holder.commit();

      // The chunks up to the held one committed before the second pause; none started after it.
      // The pause took back everything they resumed.
      const [resumed, repaused] = [await resume, await pause];
      expect(resumedBeforePause).toContain(resumed);
      expect(repaused).toBe(resumed);
      const { rows } = await knex.raw(
        `SELECT status, error, count(*)::int AS n FROM jobs WHERE service = 'apollo' GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      expect(rows).toEqual(
        [
          { status: 'PAUSED', error: 'first trip', n: 400 - resumed },
          { status: 'PAUSED', error: 'second trip', n: resumed },
        ].filter((row) => row.n > 0),
      );
      expect(await repo.claimJobs({ service: 'apollo', workerId: 'w', limit: 10, leaseMs: 1_000 })).toEqual([]);
    },
  );

  it('claims racing a pause: after the pause, nothing is PENDING and nothing more is claimed', async () => {
    const { repo } = await repositoryWithJobs(3_000, { poolMax: 8 });
    const claimed = new Set<string>();
    let pauseDone = false;
    let claimedAfterPause = 0;
    const claimer = async (workerId: string) => {
      for (;;) {
        const startedAfterPause = pauseDone;
        const jobs = await repo.claimJobs({ service: 'apollo', workerId, limit: 5, leaseMs: 60_000 });
        for (const job of jobs) {
          expect(claimed.has(job.id)).toBe(false);
          claimed.add(job.id);
        }
        // A claim that started after the pause resolved must come back empty.
        if (startedAfterPause) {
          claimedAfterPause += jobs.length;
          return;
        }
      }
    };
    const claimers = ['w1', 'w2', 'w3', 'w4', 'w5'].map(claimer);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const paused = await repo.pauseJobsForService('apollo', 'tripped mid-claim');
    pauseDone = true;
    await Promise.all(claimers);

    const counts = await repo.countJobsByStatus({ service: 'apollo' });
    expect(counts.PENDING).toBe(0);
    expect(counts.PROCESSING).toBe(claimed.size);
    expect(counts.PAUSED).toBe(paused);
    expect(counts.PROCESSING + counts.PAUSED).toBe(2_000);
    expect(claimedAfterPause).toBe(0);
  });
});
