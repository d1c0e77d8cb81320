import type { InMemoryCampaignRepository } from '@breakwater/core';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { ResumeGate, SERVICES, closeTestBreakwaters, createTestBreakwater, seedRunningCampaigns } from './in-memory-breakwater.js';
import { MOUNT, SAME_SITE, createTestApp } from './test-app.js';

afterEach(closeTestBreakwaters);

function setup(options: Parameters<typeof createTestBreakwater>[0] = {}) {
  const test = createTestBreakwater(options);
  const app = createTestApp({ breakwater: test.bw, allowUnauthenticated: true, identify: (req) => req.get('x-operator') ?? undefined });
  return { ...test, app };
}

/** apollo trips (pausing both campaigns and apollo's jobs), then is reset: ready to resume. */
async function pausedThenReset(repository: InMemoryCampaignRepository, bw: ReturnType<typeof setup>['bw']) {
  const ids = await seedRunningCampaigns(repository);
  await bw.breakers.trip('apollo', 'HTTP 503 from Apollo');
  await bw.breakers.reset('apollo');
  return ids;
}

describe('POST /resume-queue', () => {
  it('resumes queues, jobs and every paused campaign and answers 200 with the wire report', async () => {
    const { app, bw, repository } = setup();
    const ids = await pausedThenReset(repository, bw);
    const pausedJobs = (await repository.countJobsByStatus()).PAUSED;
    expect(pausedJobs).toBeGreaterThan(0);

    const res = await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE).set('X-Operator', 'alice@example.com');

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
    expect(res.body.data).toMatchObject({
      queue_resumed: true,
      jobs_resumed: pausedJobs,
      campaigns_eligible: ids.length,
      campaigns_resumed: ids.length,
      services_resumed: [...SERVICES],
      prerequisites_met: 'All circuit breakers closed',
      message: `Queue resumed successfully: ${pausedJobs} jobs and ${ids.length} campaigns resumed`,
      requested_by: 'alice@example.com',
      dry_run: false,
    });
    expect(res.body.data).not.toHaveProperty('campaign_resume_errors');
    for (const id of ids) expect((await repository.getCampaign(id))?.status).toBe('RUNNING');
    expect((await repository.countJobsByStatus()).PAUSED).toBe(0);
  });

  it('answers 400 with the blocked-resume detail, word for word, while breakers are open, and changes nothing', async () => {
    const { app, bw, repository } = setup();
    const ids = await seedRunningCampaigns(repository);
    await bw.breakers.trip('apollo', 'maintenance');
    await bw.breakers.trip('perplexity', 'maintenance');

    const res = await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      status: 'error',
      detail: 'Cannot resume queue: Circuit breakers still open for: apollo (open), perplexity (open)',
    });
    for (const id of ids) expect((await repository.getCampaign(id))?.status).toBe('PAUSED');
  });

  it('answers 409 while another resume runs, then the first one completes', async () => {
    const gate = new ResumeGate();
    const { app, bw, repository } = setup({ gate });
    await pausedThenReset(repository, bw);

    const first = request(app)
      .post(`${MOUNT}/resume-queue`)
      .set(SAME_SITE)
      .then((res) => res);
    await gate.entered;
    const second = await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE);
    expect(second.status).toBe(409);
    expect(second.body).toEqual({ status: 'error', detail: 'A queue resume is already in progress' });

    gate.open();
    const done = await first;
    expect(done.status).toBe(200);
    expect(done.body.data.campaigns_resumed).toBe(2);
  });

  it('reports per-campaign failures without failing the resume', async () => {
    const { app, bw, repository } = setup({
      repository: {
        beforeCampaignResume: (campaign) => {
          if (campaign.name === 'Campaign 2') throw new Error('Database constraint violation');
        },
      },
    });
    const [first, second] = await pausedThenReset(repository, bw);

    const res = await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE);

    expect(res.status).toBe(200);
    expect(res.body.data.campaigns_eligible).toBe(2);
    expect(res.body.data.campaigns_resumed).toBe(1);
    expect(res.body.data.campaign_resume_errors).toEqual([`Campaign ${second}: Database constraint violation`]);
    expect(res.body.data.message).toMatch(/ \(with 1 campaign errors\)$/);
    expect((await repository.getCampaign(first!))?.status).toBe('RUNNING');
    expect((await repository.getCampaign(second!))?.status).toBe('PAUSED');
  });
});

describe('GET /resume-queue/preview', () => {
  it('answers the dry run and changes nothing', async () => {
    const { app, bw, repository } = setup();
    const ids = await pausedThenReset(repository, bw);
    const pausedJobs = (await repository.countJobsByStatus()).PAUSED;

    const res = await request(app).get(`${MOUNT}/resume-queue/preview`);

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
    expect(res.body.data).toMatchObject({
      queue_resumed: false,
      dry_run: true,
      jobs_resumed: pausedJobs,
      campaigns_eligible: ids.length,
      message: `Dry run: ${pausedJobs} jobs and ${ids.length} campaigns would be resumed`,
    });
    for (const id of ids) expect((await repository.getCampaign(id))?.status).toBe('PAUSED');
    expect((await bw.status()).lastReport).toBeNull();
  });

  it('answers 400 with the same detail when a resume would be blocked', async () => {
    const { app, bw } = setup();
    await bw.breakers.trip('openai', 'quota exhausted');

    const res = await request(app).get(`${MOUNT}/resume-queue/preview`);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: 'error', detail: 'Cannot resume queue: Circuit breakers still open for: openai (open)' });
  });
});
