/**
 * What transaction pooling keeps and what it does not, for the repository: LISTEN (session state) hears
 * nothing through PgBouncer, so `subscribe` needs a direct connection (`listenKnex`); a SET made when a
 * connection opens (knex's `searchPath`) leaks to other clients; transaction-scoped state (the advisory
 * lock that serializes `migrate`) works.
 */
import type { RepositoryChange } from '@breakwater/core';
import knexFactory from 'knex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCampaignRepository, migrate } from '../../src/index.js';
import { databaseUrl } from '../database.js';
import { LocalPgBouncer } from './local-pgbouncer.js';
import { SchemasBehindPgBouncer } from './schemas-behind-pgbouncer.js';

let bouncer: LocalPgBouncer;
let schemas: SchemasBehindPgBouncer;

beforeAll(async () => {
  bouncer = await LocalPgBouncer.start({ databaseUrl: databaseUrl(), poolSize: 2 });
  schemas = new SchemasBehindPgBouncer(bouncer);
});
afterEach(() => schemas.dropAll());
afterAll(async () => {
  await schemas?.destroy();
  await bouncer?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PgBouncer in transaction pooling', () => {
  it('LISTEN through it is silent: subscribe hears no enqueue; with a direct listenKnex it hears every one', async () => {
    const { schema, names } = await schemas.create();
    const notifyChannel = `jobs_${schema}`;
    const pooled = { knex: schemas.pooled, preparedStatements: false, notifyChannel, ...names };
    const throughPgBouncer = new PostgresCampaignRepository(pooled);
    const withDirectListen = new PostgresCampaignRepository({ ...pooled, listenKnex: schemas.direct });
    const heard = { throughPgBouncer: [] as RepositoryChange[], withDirectListen: [] as RepositoryChange[] };
    const unsubscribe = [
      throughPgBouncer.subscribe((change) => heard.throughPgBouncer.push(change)),
      withDirectListen.subscribe((change) => heard.withDirectListen.push(change)),
    ];
    try {
      const campaign = await withDirectListen.createCampaign({ name: 'wave', status: 'RUNNING' });
      // Enqueues through both: each waits until its own LISTEN has run, and no error says it went nowhere. The
      // direct one goes first, so its LISTEN is up before the first enqueue through the other.
      for (let i = 0; i < 3; i += 1) {
        await withDirectListen.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
        await throughPgBouncer.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
      }
      const deadline = Date.now() + 5_000;
      while (heard.withDirectListen.length < 6 && Date.now() < deadline) await sleep(10);
      await sleep(300);
      expect(heard.withDirectListen).toHaveLength(6);
      expect(heard.throughPgBouncer).toEqual([]);
    } finally {
      for (const stop of unsubscribe) stop();
    }
  });

  it("a SET made when a connection opens (knex's searchPath) is not the client's own: another client's replaces it", async () => {
    // One server connection, so both clients' statements run on it, one transaction at a time.
    const single = await LocalPgBouncer.start({ databaseUrl: databaseUrl(), poolSize: 1 });
    const [a, b] = [await schemas.create(), await schemas.create()];
    for (const { schema } of [a, b]) {
      await schemas.direct.raw('CREATE TABLE ??.whose (name text)', [schema]);
      await schemas.direct.raw('INSERT INTO ??.whose VALUES (?)', [schema, schema]);
    }
    const clientA = knexFactory({ client: 'pg', connection: single.url(), searchPath: [a.schema], pool: { min: 0, max: 1 } });
    const clientB = knexFactory({ client: 'pg', connection: single.url(), searchPath: [b.schema], pool: { min: 0, max: 1 } });
    try {
      expect((await clientA.raw('SELECT name FROM whose')).rows).toEqual([{ name: a.schema }]);
      await clientB.raw('SELECT 1'); // B connects: its SET search_path runs on the same server connection
      expect((await clientA.raw('SELECT name FROM whose')).rows).toEqual([{ name: b.schema }]);
    } finally {
      await Promise.all([clientA.destroy(), clientB.destroy()]);
      await single.stop();
    }
  });

  it("transaction-scoped state works: migrate's advisory transaction lock lets 4 concurrent migrations through, one at a time", async () => {
    const { names } = await schemas.create();
    const clients = Array.from({ length: 4 }, () => knexFactory({ client: 'pg', connection: bouncer.url(), pool: { min: 0, max: 1 } }));
    try {
      await Promise.all(clients.map((client) => migrate(client, names)));
      const repo = new PostgresCampaignRepository({ knex: schemas.pooled, preparedStatements: false, ...names });
      expect((await repo.createCampaign({ name: 'after', status: 'DRAFT' })).status).toBe('DRAFT');
    } finally {
      await Promise.all(clients.map((client) => client.destroy()));
    }
  });

  it('prepared statements left on: the first refusal turns them off with one warning, and every statement still runs', async () => {
    // One server connection for two clients: the second one's PREPARE of the same statement meets the first one's.
    const single = await LocalPgBouncer.start({ databaseUrl: databaseUrl(), poolSize: 1 });
    const { names } = await schemas.create();
    const clients = [0, 1].map(() => knexFactory({ client: 'pg', connection: single.url(), pool: { min: 0, max: 1 } }));
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => {
      if ((warning as { code?: string }).code === 'BREAKWATER_PREPARED_STATEMENTS_OFF') warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const [first, second] = clients.map((knex) => new PostgresCampaignRepository({ knex, ...names })) as [
        PostgresCampaignRepository,
        PostgresCampaignRepository,
      ];
      const campaign = await first.createCampaign({ name: 'wave', status: 'RUNNING' });
      for (const repo of [first, second, first, second]) {
        await repo.enqueueJobs([{ campaignId: campaign.id, service: 'apollo' }]);
        expect(await repo.claimJobs({ service: 'apollo', workerId: 'w', limit: 1, leaseMs: 60_000 })).toHaveLength(1);
      }
      await sleep(50); // process warnings are emitted on the next tick
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      expect(warnings.length).toBeLessThanOrEqual(2); // once per repository at most
      expect(await first.countJobsByStatus({ service: 'apollo' })).toMatchObject({ PROCESSING: 4 });
    } finally {
      process.off('warning', onWarning);
      await Promise.all(clients.map((client) => client.destroy()));
      await single.stop();
    }
  });
});
