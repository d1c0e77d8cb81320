/** `GET /history`, `GET /campaigns`, the workers in `GET /status`, who trips and resets, and the history's metrics. */
import { InMemoryCampaignRepository, InMemoryCircuitBreakerStore, InMemoryQueueStore, createBreakwater } from '@breakwater/core';
import { Registry } from 'prom-client';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { closeTestBreakwaters, createTestBreakwater, seedRunningCampaigns } from './in-memory-breakwater.js';
import { MOUNT, SAME_SITE, createTestApp } from './test-app.js';

afterEach(closeTestBreakwaters);

function setup(options: { identify?: () => string } = {}) {
  const test = createTestBreakwater();
  const registry = new Registry();
  const app = createTestApp({ breakwater: test.bw, allowUnauthenticated: true, metrics: registry, ...options });
  return { ...test, app };
}

describe('GET /history', () => {
  it('answers the entries newest first in snake_case, with who tripped, reset and resumed, paged by next_cursor', async () => {
    const { app, repository } = setup({ identify: () => 'ada@example.com' });
    await seedRunningCampaigns(repository);
    await request(app).post(`${MOUNT}/circuit-breakers/apollo/trip`).set(SAME_SITE).send({ reason: 'maintenance' }).expect(200);
    await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE).expect(400);
    await request(app).post(`${MOUNT}/circuit-breakers/apollo/reset`).set(SAME_SITE).expect(200);
    await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE).expect(200);

    const res = await request(app).get(`${MOUNT}/history`).query({ limit: 3 });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
    const { entries, next_cursor } = res.body.data;
    expect(entries.map((entry: { kind: string }) => entry.kind)).toEqual(['resume:completed', 'resume:requested', 'breaker:reset']);
    expect(entries[0]).toMatchObject({
      service: null,
      actor: 'ada@example.com',
      reason: 'Queue resumed successfully: 2 jobs and 2 campaigns resumed',
      details: { jobs_resumed: 2, campaigns_resumed: 2, campaign_resume_errors: [], services_resumed: ['apollo', 'perplexity', 'openai'] },
    });
    expect(new Date(entries[0].at).toISOString()).toBe(entries[0].at);
    expect(entries[2]).toMatchObject({ kind: 'breaker:reset', service: 'apollo', actor: 'ada@example.com', details: { from: 'open' } });
    expect(typeof next_cursor).toBe('string');

    const older = (await request(app).get(`${MOUNT}/history`).query({ limit: 500, before: next_cursor })).body.data;
    expect(older.next_cursor).toBeNull();
    expect(older.entries.map((entry: { kind: string }) => entry.kind)).toEqual([
      'resume:blocked',
      'resume:requested',
      'service:paused',
      'breaker:tripped',
      'breaker:opened',
      'store:initialized',
    ]);
    expect(older.entries[0]).toMatchObject({
      actor: 'ada@example.com',
      reason: 'Cannot resume queue: Circuit breakers still open for: apollo (open)',
      details: { blocked: [{ service: 'apollo', reason: 'open' }] },
    });
    expect(older.entries[3]).toMatchObject({ service: 'apollo', actor: 'ada@example.com', reason: 'maintenance' });
  });

  it('filters by service, kinds and time', async () => {
    const { app, bw } = setup();
    await bw.breakers.trip('apollo', 'a');
    await bw.breakers.trip('openai', 'b');
    const kinds = async (query: Record<string, string>) =>
      (await request(app).get(`${MOUNT}/history`).query(query)).body.data.entries.map(
        (e: { kind: string; service: string }) => `${e.kind} ${e.service}`,
      );
    expect(await kinds({ service: 'openai', kind: 'breaker:tripped,store:initialized' })).toEqual([
      'breaker:tripped openai',
      'store:initialized null',
    ]);
    expect(await kinds({ kind: 'breaker:tripped' })).toEqual(['breaker:tripped openai', 'breaker:tripped apollo']);
    expect(await kinds({ since: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
  });

  it('answers 400 naming a bad parameter, and 404 when the instance records no history', async () => {
    const { app } = setup();
    for (const [query, named] of [
      [{ limit: '0' }, '"limit"'],
      [{ limit: 'ten' }, '"limit"'],
      [{ before: 'abc' }, '"before"'],
      [{ kind: 'breaker:exploded' }, '"kind"'],
      [{ since: 'yesterday' }, '"since"'],
    ] as const) {
      const res = await request(app).get(`${MOUNT}/history`).query(query);
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain(named);
    }
    const bare = createBreakwater({
      services: ['apollo'],
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      campaigns: new InMemoryCampaignRepository(),
      reconcileIntervalMs: 0,
    });
    const res = await request(createTestApp({ breakwater: bare, allowUnauthenticated: true })).get(`${MOUNT}/history`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ status: 'error', detail: expect.stringContaining('History is not recorded') });
    await bare.close();
  });

  it('is behind authorize, as a view', async () => {
    const { bw } = createTestBreakwater();
    const actions: string[] = [];
    const app = createTestApp({ breakwater: bw, authorize: (_req, action) => (actions.push(action), false) });
    expect((await request(app).get(`${MOUNT}/history`)).status).toBe(403);
    expect((await request(app).get(`${MOUNT}/campaigns`)).status).toBe(403);
    expect(actions).toEqual(['view', 'view']);
  });
});

describe('GET /campaigns', () => {
  it('pages through the paused campaigns with their status messages', async () => {
    const { app, bw, repository } = setup();
    await seedRunningCampaigns(repository, 5);
    await repository.createCampaign({ name: 'draft' });
    await bw.breakers.trip('openai', 'quota exhausted');

    const first = (await request(app).get(`${MOUNT}/campaigns`).query({ status: 'PAUSED', limit: 3 })).body.data;
    expect(first.campaigns).toHaveLength(3);
    expect(first.campaigns[0]).toMatchObject({
      name: 'Campaign 1',
      status: 'PAUSED',
      status_message: 'Paused: circuit breaker open for openai (quota exhausted)',
    });
    expect(first.next_cursor).toBe(first.campaigns[2].id);
    const rest = (await request(app).get(`${MOUNT}/campaigns`).query({ status: 'PAUSED', limit: 3, after: first.next_cursor })).body.data;
    expect(rest.campaigns.map((c: { name: string }) => c.name)).toEqual(['Campaign 4', 'Campaign 5']);
    expect(rest.next_cursor).toBeNull();
    expect((await request(app).get(`${MOUNT}/campaigns`).query({ status: 'paused' })).status).toBe(400);
  });
});

describe('GET /status: live workers', () => {
  it('lists the workers and each service’s background tasks', async () => {
    const { app, bw } = setup();
    const worker = bw.createWorker({ service: 'apollo', concurrency: 2, handler: async () => null });
    await worker.start();
    try {
      await bw.breakers.trip('openai', 'down');
      const data = (await request(app).get(`${MOUNT}/status`)).body.data;
      expect(data.workers).toEqual([
        expect.objectContaining({ worker_id: worker.id, service: 'apollo', pid: process.pid, concurrency: 2, jobs_in_flight: 0 }),
      ]);
      expect(data.background_tasks).toEqual([
        { service: 'apollo', state: 'active', workers: 1, jobs_in_flight: 0 },
        { service: 'perplexity', state: 'stopped', workers: 0, jobs_in_flight: 0 },
        { service: 'openai', state: 'paused', workers: 0, jobs_in_flight: 0 },
      ]);
    } finally {
      await worker.stop();
    }
  });
});

describe('GET /metrics: the history per service', () => {
  it('counts trips, service resumes and blocked resumes per service', async () => {
    const { app, bw, repository } = setup();
    await seedRunningCampaigns(repository);
    await bw.breakers.trip('apollo', 'down');
    for (let i = 0; i < 3; i += 1) await bw.breakers.recordFailure('openai', { reason: '503' });
    await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE).expect(400);
    await request(app).get(`${MOUNT}/resume-queue/preview`).expect(400);
    await bw.breakers.reset('apollo');
    await bw.breakers.reset('openai');
    await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE).expect(200);

    const text = (await request(app).get(`${MOUNT}/metrics`)).text;
    expect(text).toContain('# TYPE breakwater_breaker_trips_total counter');
    expect(text).toContain('breakwater_breaker_trips_total{service="apollo"} 1');
    expect(text).toContain('breakwater_breaker_trips_total{service="openai"} 1');
    expect(text).toContain('breakwater_breaker_trips_total{service="perplexity"} 0');
    expect(text).toContain('breakwater_service_resumes_total{service="apollo"} 1');
    expect(text).toContain('breakwater_resumes_blocked_total{service="apollo"} 1');
    expect(text).toContain('breakwater_resumes_blocked_total{service="openai"} 1');
    expect(text).toContain('breakwater_resumes_blocked_total{service="perplexity"} 0');
    expect(text).toContain('breakwater_history_write_failures_total 0');
  });
});
