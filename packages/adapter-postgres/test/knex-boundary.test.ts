/**
 * What the adapter relies on in knex beyond its guide (see pool-sql.ts and job-notifications.ts), pinned
 * so that a knex upgrade that changes it fails here rather than in production.
 */
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresCampaignRepository } from '../src/index.js';
import { TestDatabases } from './database.js';

const databases = new TestDatabases();
afterEach(() => databases.dropAll());

interface PgConnection {
  query(sql: string): Promise<{ rows: { pid: number }[] }>;
  end(): Promise<void>;
}

describe('knex, as the Postgres adapter uses it', () => {
  it("rewrites a failed query's message to `<sql> - <message>`: why statements run on the pg connection itself", async () => {
    const { knex } = await databases.create({ migrate: false });
    await expect(knex.raw('SELECT 1 / 0')).rejects.toThrow(/^SELECT 1 \/ 0 - division by zero$/);

    // The same statement through the repository's runner keeps the database's own message.
    const repo = new PostgresCampaignRepository({ knex });
    await expect(repo.getCampaign('1')).rejects.toThrow(/^relation "campaigns" does not exist$/);
  });

  it('hands out pg connections from the pool (acquireConnection / releaseConnection), and never again one that was ended', async () => {
    const { knex } = await databases.create({ migrate: false, poolMax: 1 });
    const client = knex.client as Knex.Client;
    const first = (await client.acquireConnection()) as PgConnection;
    const pid = (await first.query('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    await first.end();
    await client.releaseConnection(first);

    const second = (await client.acquireConnection()) as PgConnection;
    try {
      expect(second).not.toBe(first);
      expect((await second.query('SELECT pg_backend_pid() AS pid')).rows[0]?.pid).not.toBe(pid);
    } finally {
      await client.releaseConnection(second);
    }
  });

  it("listens on a connection of its own (acquireRawConnection), never one of the host's pool", async () => {
    const { knex } = await databases.create({ poolMax: 1 });
    const repo = new PostgresCampaignRepository({ knex });
    const unsubscribe = repo.subscribe(() => {});
    try {
      const campaign = await repo.createCampaign({ name: 'listening', status: 'RUNNING' });
      await repo.enqueueJob({ campaignId: campaign.id, service: 'apollo' }); // waits until it listens
      // The pool's only connection is free for the host while the repository listens.
      const trx = await knex.transaction();
      await trx.commit();
      const { rows } = await knex.raw(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'LISTEN %'`);
      expect(rows[0].n).toBeGreaterThanOrEqual(1);
    } finally {
      unsubscribe();
    }
  });
});
