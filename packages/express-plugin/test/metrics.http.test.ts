import { Registry } from 'prom-client';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeTestBreakwaters, createTestBreakwater, seedRunningCampaigns } from './in-memory-breakwater.js';
import { MOUNT, SAME_SITE, createTestApp } from './test-app.js';

afterEach(closeTestBreakwaters);

function setup() {
  const test = createTestBreakwater();
  const registry = new Registry();
  const app = createTestApp({ breakwater: test.bw, allowUnauthenticated: true, metrics: registry });
  return { ...test, registry, app };
}

async function scrape(app: ReturnType<typeof setup>['app']): Promise<string> {
  const res = await request(app).get(`${MOUNT}/metrics`);
  expect(res.status).toBe(200);
  return res.text;
}

describe('GET /metrics', () => {
  it('serves breaker, queue and count gauges from the current status', async () => {
    const { app, bw, repository, registry } = setup();
    await seedRunningCampaigns(repository);
    await bw.breakers.trip('apollo', 'down');

    const res = await request(app).get(`${MOUNT}/metrics`);
    expect(res.headers['content-type']).toBe(registry.contentType);
    const text = res.text;
    expect(text).toContain('# TYPE breakwater_circuit_breaker_state gauge');
    expect(text).toContain('breakwater_circuit_breaker_state{service="apollo",state="open"} 1');
    expect(text).toContain('breakwater_circuit_breaker_state{service="apollo",state="closed"} 0');
    expect(text).toContain('breakwater_circuit_breaker_state{service="perplexity",state="closed"} 1');
    expect(text).toContain('breakwater_circuit_breaker_trips{service="apollo"} 1');
    expect(text).toContain('breakwater_queue_paused{service="apollo"} 1');
    expect(text).toContain('breakwater_queue_paused{service="openai"} 0');
    expect(text).toContain('breakwater_campaigns{status="PAUSED"} 2');
    expect(text).toContain('breakwater_campaigns{status="RUNNING"} 0');
    expect(text).toContain(`breakwater_jobs{status="PAUSED"} ${(await repository.countJobsByStatus()).PAUSED}`);
    expect(text).toContain('breakwater_resume_in_progress 0');
  });

  it('counts real resumes by outcome, not previews', async () => {
    const { app, bw, repository } = setup();
    await seedRunningCampaigns(repository);
    await bw.breakers.trip('apollo', 'down');
    await request(app).get(`${MOUNT}/resume-queue/preview`).expect(400);
    await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE).expect(400);
    await bw.breakers.reset('apollo');
    await request(app).get(`${MOUNT}/resume-queue/preview`).expect(200);
    await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE).expect(200);

    const text = await scrape(app);
    expect(text).toContain('# TYPE breakwater_queue_resumes_total counter');
    expect(text).toContain('breakwater_queue_resumes_total{outcome="completed"} 1');
    expect(text).toContain('breakwater_queue_resumes_total{outcome="blocked"} 1');
    expect(text).toContain('breakwater_resumed_campaigns_total 2');
    expect(text).toContain('breakwater_campaign_resume_errors_total 0');
    expect(text).toContain('breakwater_campaigns{status="RUNNING"} 2');
  });

  it('reads the status once per scrape', async () => {
    const { app, bw } = setup();
    const status = vi.spyOn(bw, 'status');
    await scrape(app);
    expect(status).toHaveBeenCalledTimes(1);
    await scrape(app);
    expect(status).toHaveBeenCalledTimes(2);
  });

  it('is not served when no registry is given', async () => {
    const test = createTestBreakwater();
    const app = createTestApp({ breakwater: test.bw, allowUnauthenticated: true });
    expect((await request(app).get(`${MOUNT}/metrics`)).status).toBe(404);
  });
});
