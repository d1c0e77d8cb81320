/** startCampaign against a pause caught mid-transaction: the start reads the fence with a lock, so it waits and sees it. */
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresCampaignRepository } from '../src/index.js';
import { TestDatabases } from './database.js';

const databases = new TestDatabases();
afterEach(() => databases.dropAll());

describe('startCampaign and a pause in flight', () => {
  it('waits for a pause that is raising the fence, then lands PAUSED instead of RUNNING', async () => {
    const { knex } = await databases.create();
    const repo = new PostgresCampaignRepository({ knex });
    const draft = await repo.createCampaign({ name: 'late start' });
    // apollo's fence row exists (an earlier pause and resume) and is down; a new pause's transaction has
    // raised it and not committed yet.
    await repo.pauseJobsForService('apollo', 'an earlier outage');
    await repo.resumeJobsForService('apollo');
    const pause = await knex.transaction();
    const pausePid = (await pause.raw('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    await pause.raw(
      `INSERT INTO breakwater_service_fences (service, paused, reason) VALUES ('apollo', true, 'down')
       ON CONFLICT (service) DO UPDATE SET paused = true, reason = 'down', updated_at = now()`,
    );

    const start = repo.startCampaign({
      id: draft.id,
      services: ['openai', 'apollo'],
      scope: 'all',
      statusMessage: 'Campaign started',
      pausedMessage: (service) => `Paused: circuit breaker open for ${service}`,
    });
    let settled = false;
    const startSettled = start.then(
      () => (settled = true),
      () => (settled = true),
    );
    const waitsForThePause = async () => {
      while (!settled) {
        const { rows } = await knex.raw('SELECT pid FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))', [pausePid]);
        if (rows[0]) return 'waits for the pause';
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return 'did not wait';
    };
    expect(await Promise.race([waitsForThePause(), startSettled.then(() => 'did not wait')])).toBe('waits for the pause');
    expect((await repo.getCampaign(draft.id))?.status).toBe('DRAFT');
    await pause.commit();

    expect(await start).toMatchObject({ status: 'PAUSED', statusMessage: 'Paused: circuit breaker open for apollo' });
  });
});
