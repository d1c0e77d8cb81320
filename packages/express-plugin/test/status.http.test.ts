import { InMemoryCampaignRepository, type UnrecognizedStatus } from '@breakwater/core';
import { toWireReport } from '@breakwater/express-plugin';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVICES, closeTestBreakwaters, createTestBreakwater, seedRunningCampaigns } from './in-memory-breakwater.js';
import { MOUNT, SAME_SITE, createTestApp } from './test-app.js';

afterEach(closeTestBreakwaters);

function setup() {
  const test = createTestBreakwater();
  return { ...test, app: createTestApp({ breakwater: test.bw, allowUnauthenticated: true }) };
}

describe('GET /status', () => {
  it('answers breakers, queues, counts and the resume prerequisites in snake_case', async () => {
    const { app, bw, repository } = setup();
    const ids = await seedRunningCampaigns(repository);
    await bw.breakers.trip('apollo', 'HTTP 503 from Apollo');

    const res = await request(app).get(`${MOUNT}/status`);

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
    const data = res.body.data;
    expect(data.breakers.map((b: { service: string }) => b.service)).toEqual([...SERVICES]);
    expect(data.breakers[0]).toMatchObject({
      service: 'apollo',
      state: 'open',
      latched: true,
      last_failure_reason: 'HTTP 503 from Apollo',
      trip_count: 1,
    });
    expect(new Date(data.breakers[0].opened_at).toISOString()).toBe(data.breakers[0].opened_at);
    expect(data.breakers[1]).toMatchObject({ service: 'perplexity', state: 'closed', failure_count: 0, opened_at: null });
    expect(data.queues[0]).toMatchObject({ service: 'apollo', state: 'PAUSED' });
    expect(data.queues[0].reason).toContain('apollo');
    expect(data.queues[1]).toMatchObject({ service: 'perplexity', state: 'ACTIVE', reason: null });
    expect(data.campaigns).toEqual({ DRAFT: 0, RUNNING: 0, PAUSED: ids.length, COMPLETED: 0, FAILED: 0, CANCELLED: 0 });
    expect(data.jobs).toEqual(await repository.countJobsByStatus());
    expect(data.jobs.PAUSED).toBeGreaterThan(0);
    expect(data.unrecognized_statuses).toEqual([]);
    expect(data.can_resume).toBe(false);
    expect(data.blocked_by).toEqual([{ service: 'apollo', reason: 'open' }]);
    expect(data.resume_in_progress).toBe(false);
    expect(data.last_report).toBeNull();
  });

  it('lists the rows whose status the counts leave out, as the repository reports them', async () => {
    const repository = new InMemoryCampaignRepository();
    const unrecognized: UnrecognizedStatus[] = [
      { entity: 'campaign', status: 'running', count: 3 },
      { entity: 'job', status: null, count: 1 },
    ];
    const withHostRows = Object.assign(repository, { countUnrecognizedStatuses: async () => unrecognized });
    const { bw } = createTestBreakwater({ overrides: { campaigns: withHostRows } });
    const res = await request(createTestApp({ breakwater: bw, allowUnauthenticated: true })).get(`${MOUNT}/status`);
    expect(res.body.data.unrecognized_statuses).toEqual([
      { entity: 'campaign', status: 'running', count: 3 },
      { entity: 'job', status: null, count: 1 },
    ]);
  });

  it('carries the last resume report in its wire form', async () => {
    const { app, bw, repository } = setup();
    await seedRunningCampaigns(repository);
    await bw.breakers.trip('apollo', 'down');
    await bw.breakers.reset('apollo');
    const resumed = await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE);

    const res = await request(app).get(`${MOUNT}/status`);

    expect(res.body.data.can_resume).toBe(true);
    expect(res.body.data.blocked_by).toEqual([]);
    expect(res.body.data.last_report).toEqual(resumed.body.data);
    expect(res.body.data.last_report).toEqual(toWireReport((await bw.status()).lastReport!));
    expect(res.body.data.campaigns.RUNNING).toBe(2);
  });
});

describe('GET /circuit-breakers', () => {
  it('answers every breaker record, in the services order', async () => {
    const { app, bw } = setup();
    await bw.breakers.recordFailure('openai', { reason: 'timeout' });

    const res = await request(app).get(`${MOUNT}/circuit-breakers`);

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
    expect(res.body.data.map((b: { service: string }) => b.service)).toEqual([...SERVICES]);
    expect(res.body.data[2]).toMatchObject({ service: 'openai', state: 'closed', failure_count: 1, last_failure_reason: 'timeout' });
    expect(Object.keys(res.body.data[0]).every((key) => !/[A-Z]/.test(key))).toBe(true);
  });
});
