/** The demo API's validation, and who may change what with and without an API token. */
import { afterEach, describe, expect, it } from 'vitest';
import { type OutreachApp, buildApp } from '../src/app.js';
import { HttpClient } from './support/http-client.js';
import { testConfig } from './support/test-config.js';

const TOKEN = 'test-token-0123456789abcdef';

describe('the demo API and its authorization', () => {
  let outreach: OutreachApp | null = null;
  afterEach(async () => {
    await outreach?.close();
    outreach = null;
  });

  async function startApp(apiToken: string | null): Promise<HttpClient> {
    outreach = await buildApp(testConfig({ apiToken }));
    return new HttpClient(await outreach.start());
  }

  it('validates the demo requests and answers in the envelope', async () => {
    const api = await startApp(null);
    expect((await api.post('/api/v1/demo/services/apollo/mode', { mode: 'sleepy' })).body).toEqual({
      status: 'error',
      detail: 'Invalid request body: "mode" must be one of healthy, failing, rate-limited',
    });
    const unknown = await api.post('/api/v1/demo/services/hubspot/mode', { mode: 'failing' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ status: 'error', detail: 'Unknown service: hubspot' });
    const tooMany = await api.post('/api/v1/demo/campaigns', { leads: 1000 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ detail: 'Invalid request body: "leads" must be at most 100' });
    // A form post (what a foreign page can make a browser send) is refused.
    const form = await fetch(`${api.baseUrl}/api/v1/demo/services/apollo/mode`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'mode=failing',
    });
    expect(form.status).toBe(415);
    expect(outreach?.services.apollo.mode).toBe('healthy');

    const services = await api.get<{ data: Array<{ service: string; mode: string }> }>('/api/v1/demo/services');
    expect(services.body.data.map((s) => `${s.service}:${s.mode}`)).toEqual([
      'apollo:healthy',
      'perplexity:healthy',
      'openai:healthy',
      'instantly:healthy',
      'millionverifier:healthy',
    ]);
    expect((await api.get('/api/v1/nothing-here')).status).toBe(404);
  });

  it('without a token, anyone may act, and X-Operator names them in the report', async () => {
    const api = await startApp(null);
    const resumed = await api.post('/api/v1/queue-management/resume-queue', {}, { 'X-Operator': 'jane@example.com' });
    expect(resumed.status).toBe(200);
    expect(resumed.body.data).toMatchObject({ requested_by: 'jane@example.com', jobs_resumed: 0, campaigns_resumed: 0 });
  });

  it('with a token, reading is open and every change needs it', async () => {
    const api = await startApp(TOKEN);
    expect((await api.get('/api/v1/queue-management/status')).status).toBe(200);
    expect((await api.get('/api/v1/queue-management/dashboard')).status).toBe(200);

    for (const path of ['/api/v1/queue-management/resume-queue', '/api/v1/queue-management/circuit-breakers/apollo/trip']) {
      const anonymous = await api.post(path, { reason: 'test' });
      expect(anonymous.status).toBe(401);
      const wrong = await api.post(path, { reason: 'test' }, { Authorization: 'Bearer not-the-token-at-all' });
      expect(wrong.status).toBe(401);
    }
    const demo = await api.post('/api/v1/demo/services/apollo/mode', { mode: 'failing' });
    expect(demo.status).toBe(401);
    expect(demo.body).toMatchObject({ status: 'error' });
    expect(outreach?.services.apollo.mode).toBe('healthy');
    expect((await outreach?.bw.breakers.get('apollo'))?.state).toBe('closed');

    const authorized = { Authorization: `Bearer ${TOKEN}` };
    expect((await api.post('/api/v1/demo/services/apollo/mode', { mode: 'failing' }, authorized)).status).toBe(200);
    const resumed = await api.post('/api/v1/queue-management/resume-queue', {}, authorized);
    expect(resumed.status).toBe(200);
    expect(resumed.body.data).toMatchObject({ requested_by: 'operator (API token)' });
  });

  it('with a token, /login gives the browser a session cookie the dashboard acts with', async () => {
    const api = await startApp(TOKEN);
    const page = await fetch(`${api.baseUrl}/login`);
    expect(await page.text()).toContain('name="token"');

    const login = (token: string) =>
      fetch(`${api.baseUrl}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, next: '/api/v1/queue-management/dashboard' }),
      });
    const refused = await login('not-the-token-at-all');
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toMatch(/^login\?failed/);
    expect(refused.headers.get('set-cookie')).toBeNull();

    const accepted = await login(TOKEN);
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('/api/v1/queue-management/dashboard');
    const cookie = accepted.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toContain(TOKEN);

    // What the dashboard's Resume button sends: the cookie, JSON, X-Requested-With.
    const session = cookie.split(';')[0] ?? '';
    const resumed = await api.post('/api/v1/queue-management/resume-queue', {}, { Cookie: session, 'X-Requested-With': 'XMLHttpRequest' });
    expect(resumed.status).toBe(200);
    const forged = await api.post('/api/v1/queue-management/resume-queue', {}, { Cookie: 'breakwater_operator=0123abcd' });
    expect(forged.status).toBe(401);
  });
});
