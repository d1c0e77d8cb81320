/**
 * The same flow with campaigns and jobs in PostgreSQL and breakers and queues in Redis, checked
 * after the resume the way docs/manual-resume.md#checking-the-result checks them:
 * with its SQL and its redis-cli commands, straight on the servers.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutreachApp, buildApp } from '../src/app.js';
import { CAMPAIGNS, SERVICES, TOTAL_JOBS, runDocumentFlow } from './support/document-flow.js';
import { HttpClient } from './support/http-client.js';
import { type RealServers, realServers } from './support/real-servers.js';
import { testConfig } from './support/test-config.js';

describe('the outreach app on PostgreSQL and Redis', () => {
  const runId = randomBytes(5).toString('hex');
  // A fresh schema and key prefix per run: nothing another run (or another test) wrote is seen.
  const schema = `outreach_${runId}`;
  const keyPrefix = `outreach-test:${runId}:`;
  let servers: RealServers;
  let knex: Knex;
  let redis: Redis;
  let outreach: OutreachApp | null = null;

  beforeAll(async () => {
    servers = await realServers();
    knex = knexFactory({ client: 'pg', connection: servers.databaseUrl, searchPath: [schema], pool: { min: 0, max: 2 } });
    redis = new Redis(servers.redisUrl);
  });

  afterAll(async () => {
    await outreach?.close();
    await knex?.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [schema]);
    await knex?.destroy();
    if (redis) {
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
    await servers?.stop();
  });

  it('runs the manual resume flow, and the SQL and Redis checks read as expected after the resume', async () => {
    outreach = await buildApp(
      testConfig({ databaseUrl: servers.databaseUrl, databaseSchema: schema, redisUrl: servers.redisUrl, redisKeyPrefix: keyPrefix }),
    );
    expect(outreach.stores.description.campaigns).toMatch(/^PostgreSQL .* \(schema outreach_/);
    expect(outreach.stores.description.breakers).toMatch(/^Redis /);
    const api = new HttpClient(await outreach.start());

    await runDocumentFlow(outreach, api, {
      afterResume: async (report) => {
        // -- Verify campaigns are resumed
        const campaigns = await knex.raw<{ rows: Array<{ status: string; count: string }> }>(
          'SELECT status, COUNT(*) FROM campaigns GROUP BY status',
        );
        expect(campaigns.rows).toEqual([{ status: 'RUNNING', count: String(CAMPAIGNS) }]);
        // -- Check specific resume messages
        const messages = await knex.raw<{ rows: Array<{ id: unknown; name: string; status_message: string }> }>(
          "SELECT id, name, status_message FROM campaigns WHERE status = 'RUNNING' AND status_message LIKE '%resumed%'",
        );
        expect(messages.rows).toHaveLength(CAMPAIGNS);
        expect(messages.rows.every((row) => row.status_message === 'Campaign resumed - services are available')).toBe(true);

        // -- Verify jobs are resumed: nothing PAUSED, and the resumed ones PENDING again
        const jobs = await knex.raw<{ rows: Array<{ status: string; count: string }> }>(
          'SELECT status, COUNT(*) FROM jobs GROUP BY status',
        );
        const byStatus = Object.fromEntries(jobs.rows.map((row) => [row.status, Number(row.count)]));
        expect(byStatus.PAUSED).toBeUndefined();
        expect(byStatus.PENDING).toBeGreaterThanOrEqual(report.jobs_resumed);
        expect((byStatus.PENDING ?? 0) + (byStatus.COMPLETED ?? 0)).toBe(TOTAL_JOBS);
        // -- Check job error clearing
        const cleared = await knex.raw<{ rows: Array<{ count: string }> }>(
          "SELECT COUNT(*) FROM jobs WHERE status != 'PAUSED' AND error IS NULL",
        );
        expect(cleared.rows[0]?.count).toBe(String(TOTAL_JOBS));

        // redis-cli HGETALL "queue_status" — expected: all services showing "ACTIVE"
        const queueStatus = await redis.hgetall(`${keyPrefix}queue_status`);
        expect(queueStatus).toEqual(Object.fromEntries(SERVICES.map((service) => [service, 'ACTIVE'])));
        // redis-cli HGETALL "circuit_breaker:apollo" — expected: state=closed, failure_count=0
        const apollo = await redis.hgetall(`${keyPrefix}circuit_breaker:apollo`);
        expect(apollo).toMatchObject({ state: 'closed', failure_count: '0' });
      },
    });
  });
});
