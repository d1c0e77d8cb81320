/**
 * A connection lost in the middle of resumeCampaigns (pg_terminate_backend on the session running a
 * batch): every campaign ends either fully resumed (campaign RUNNING and its jobs PENDING) or untouched
 * (campaign PAUSED and its jobs PAUSED), never half of each.
 */
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresCampaignRepository } from '../src/index.js';
import { TestDatabases } from './database.js';
import { CAMPAIGN_PAUSED_MESSAGE, JOB_PAUSED_ERROR, generatePausedFleet } from './paused-fleet.js';

const RESUMED = 'Campaign resumed - services are available';
const databases = new TestDatabases();
afterEach(() => databases.dropAll());

/** The backend waiting on a lock `holderPid` holds, once there is one. */
async function waitingOn(knex: Knex, holderPid: number, not?: number): Promise<number> {
  for (;;) {
    const { rows } = await knex.raw('SELECT pid FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid)) AND pid <> ?', [
      holderPid,
      not ?? 0,
    ]);
    if (rows[0]) return rows[0].pid as number;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Each campaign with its jobs' statuses: 'resumed', 'untouched', or what it is instead. */
async function campaignStates(knex: Knex): Promise<Map<string, string>> {
  const { rows } = await knex.raw(`
    SELECT c.id::text AS id, c.status, c.status_message, array_agg(DISTINCT j.status || ':' || coalesce(j.error, '')) AS jobs
    FROM campaigns c JOIN jobs j ON j.campaign_id = c.id GROUP BY c.id, c.status, c.status_message`);
  return new Map(
    (rows as { id: string; status: string; status_message: string; jobs: string[] }[]).map((row) => {
      const resumed = row.status === 'RUNNING' && row.status_message === RESUMED && row.jobs.join() === 'PENDING:';
      const untouched =
        row.status === 'PAUSED' && row.status_message === CAMPAIGN_PAUSED_MESSAGE && row.jobs.join() === `PAUSED:${JOB_PAUSED_ERROR}`;
      return [row.id, resumed ? 'resumed' : untouched ? 'untouched' : JSON.stringify(row)];
    }),
  );
}

async function pausedFleet() {
  const { knex } = await databases.create();
  await generatePausedFleet(knex, { campaigns: 40, jobsPerCampaign: 3 });
  const repo = new PostgresCampaignRepository({ knex, resumeBatchSize: 10 });
  const ids = Array.from({ length: 40 }, (_, i) => String(i + 1));
  // Another session holds campaign 25, so the batch 21–30 waits on it: the moment to cut its connection.
  const holder = await knex.transaction();
  const holderPid = (await holder.raw('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  await holder.raw('SELECT id FROM campaigns WHERE id = 25 FOR UPDATE');
  return { knex, repo, ids, holder, holderPid };
}

describe('a connection lost during resumeCampaigns', () => {
  it('the batch whose connection was cut is retried whole on another one, and every campaign resumes', async () => {
    const { knex, repo, ids, holder, holderPid } = await pausedFleet();
    const resuming = repo.resumeCampaigns(ids, RESUMED);
    const first = await waitingOn(knex, holderPid);
    await knex.raw('SELECT pg_terminate_backend(?)', [first]);
    await waitingOn(knex, holderPid, first);
    await holder.commit();

    const outcomes = await resuming;
    expect(outcomes).toEqual(ids.map((id) => ({ id, ok: true, jobsResumed: 3 })));
    expect([...(await campaignStates(knex)).values()]).toEqual(Array.from({ length: 40 }, () => 'resumed'));
  });

  it('when it is cut again, that batch and the ones after fail untouched; the ones before stay resumed', async () => {
    const { knex, repo, ids, holder, holderPid } = await pausedFleet();
    const resuming = repo.resumeCampaigns(ids, RESUMED);
    const first = await waitingOn(knex, holderPid);
    await knex.raw('SELECT pg_terminate_backend(?)', [first]);
    const retry = await waitingOn(knex, holderPid, first);
    await knex.raw('SELECT pg_terminate_backend(?)', [retry]);

    const outcomes = await resuming;
    await holder.commit();
    expect(outcomes.slice(0, 20)).toEqual(ids.slice(0, 20).map((id) => ({ id, ok: true, jobsResumed: 3 })));
    for (const outcome of outcomes.slice(20)) {
      // pg words it "terminating connection due to administrator command" or "Connection terminated unexpectedly".
      expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/terminat/i) });
    }
    const states = await campaignStates(knex);
    for (const id of ids) expect(states.get(id)).toBe(Number(id) <= 20 ? 'resumed' : 'untouched');

    // The pool has dropped the dead connections: the next resume takes the rest.
    const again = await repo.resumeCampaigns(ids.slice(20), RESUMED);
    expect(again.every((outcome) => outcome.ok)).toBe(true);
  });
});
