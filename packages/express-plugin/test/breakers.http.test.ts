import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { closeTestBreakwaters, createTestBreakwater, seedRunningCampaigns } from './in-memory-breakwater.js';
import { MOUNT, SAME_SITE, createTestApp } from './test-app.js';

afterEach(closeTestBreakwaters);

function setup() {
  const test = createTestBreakwater();
  return { ...test, app: createTestApp({ breakwater: test.bw, allowUnauthenticated: true }) };
}

describe('POST /circuit-breakers/:service/reset', () => {
  it('closes the breaker and resumes nothing', async () => {
    const { app, bw, repository } = setup();
    const ids = await seedRunningCampaigns(repository);
    await bw.breakers.trip('apollo', 'down');

    const res = await request(app).post(`${MOUNT}/circuit-breakers/apollo/reset`).set(SAME_SITE);

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
    expect(res.body.data).toMatchObject({ service: 'apollo', state: 'closed', failure_count: 0, latched: false, trip_count: 1 });
    expect((await bw.breakers.get('apollo')).state).toBe('closed');
    // Only resumeQueue resumes: the queue and the campaigns stay paused.
    for (const id of ids) expect((await repository.getCampaign(id))?.status).toBe('PAUSED');
    expect((await bw.status()).queues[0]?.state).toBe('PAUSED');
  });

  it('answers 404 naming an unknown service', async () => {
    const { app } = setup();
    const res = await request(app).post(`${MOUNT}/circuit-breakers/mailchimp/reset`).set(SAME_SITE);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ status: 'error', detail: 'Unknown service: mailchimp' });
  });
});

describe('POST /circuit-breakers/:service/trip', () => {
  it('forces the breaker open with the reason and runs the pause cascade', async () => {
    const { app, repository } = setup();
    const ids = await seedRunningCampaigns(repository);

    const res = await request(app).post(`${MOUNT}/circuit-breakers/perplexity/trip`).send({ reason: 'planned maintenance' });

    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      service: 'perplexity',
      state: 'open',
      latched: true,
      last_failure_reason: 'planned maintenance',
    });
    for (const id of ids) expect((await repository.getCampaign(id))?.status).toBe('PAUSED');
  });

  it('answers 404 naming an unknown service', async () => {
    const { app } = setup();
    const res = await request(app).post(`${MOUNT}/circuit-breakers/nope/trip`).send({ reason: 'x' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ status: 'error', detail: 'Unknown service: nope' });
  });

  it.each([
    ['no body', undefined, '"reason" is required'],
    ['an empty reason', { reason: '   ' }, '"reason" must not be empty'],
    ['a reason that is not a string', { reason: 42 }, '"reason" must be a string'],
    ['an unknown field', { reason: 'x', force: true }, 'unknown field "force"'],
    ['an array', [{ reason: 'x' }], 'must be a JSON object'],
    ['a reason too long', { reason: 'x'.repeat(501) }, '"reason" must be at most 500 characters'],
  ])('answers 400 for %s, and trips nothing', async (_case, body, detail) => {
    const { app, bw } = setup();
    const req = request(app).post(`${MOUNT}/circuit-breakers/apollo/trip`).set(SAME_SITE);
    const res = body === undefined ? await req : await req.send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: 'error', detail: `Invalid request body: ${detail}` });
    expect((await bw.breakers.get('apollo')).state).toBe('closed');
  });

  it('answers 400 with the envelope for malformed JSON', async () => {
    const { app } = setup();
    const res = await request(app)
      .post(`${MOUNT}/circuit-breakers/apollo/trip`)
      .set('Content-Type', 'application/json')
      .send('{"reason": "unterminated');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: 'error', detail: 'Malformed JSON in request body' });
  });

  it('answers 413 with the envelope for an oversized body', async () => {
    const { app } = setup();
    const res = await request(app)
      .post(`${MOUNT}/circuit-breakers/apollo/trip`)
      .send({ reason: 'x'.repeat(20_000) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ status: 'error', detail: 'Request body too large' });
  });
});

describe('methods', () => {
  it.each([
    ['get', '/resume-queue', 'POST'],
    ['post', '/status', 'GET, HEAD'],
    ['delete', '/circuit-breakers/apollo/reset', 'POST'],
  ] as const)('answers 405 with Allow for %s %s', async (method, path, allow) => {
    const { app } = setup();
    const res = await request(app)[method](`${MOUNT}${path}`).set(SAME_SITE);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.body).toEqual({ status: 'error', detail: `Method ${method.toUpperCase()} not allowed; use ${allow}` });
  });
});
