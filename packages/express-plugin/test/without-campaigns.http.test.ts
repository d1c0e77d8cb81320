/** The API and the dashboard over an instance without a campaign repository (breakers adopted first). */
import { InMemoryCircuitBreakerStore, InMemoryQueueStore, createBreakwater } from '@breakwater/core';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { MOUNT, SAME_SITE, createTestApp } from './test-app.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const bw of open.splice(0)) await bw.close();
});

describe('without a campaign repository', () => {
  it('serves the status, the dashboard, trips, resets and the queue resume', async () => {
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      reconcileIntervalMs: 0,
    });
    open.push(bw);
    const app = createTestApp({ breakwater: bw, allowUnauthenticated: true });

    const status = await request(app).get(`${MOUNT}/status`);
    expect(status.status).toBe(200);
    expect(status.body.data).toMatchObject({ can_resume: true, campaigns: { RUNNING: 0 }, jobs: { PENDING: 0 } });
    expect((await request(app).get(`${MOUNT}/dashboard`)).status).toBe(200);

    expect((await request(app).post(`${MOUNT}/circuit-breakers/apollo/trip`).set(SAME_SITE).send({ reason: 'maintenance' })).status).toBe(
      200,
    );
    expect((await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE)).status).toBe(400);
    expect((await request(app).post(`${MOUNT}/circuit-breakers/apollo/reset`).set(SAME_SITE)).status).toBe(200);
    const resumed = await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE);
    expect(resumed.status).toBe(200);
    expect(resumed.body.data).toMatchObject({ queue_resumed: true, jobs_resumed: 0, campaigns_resumed: 0 });
  });
});
