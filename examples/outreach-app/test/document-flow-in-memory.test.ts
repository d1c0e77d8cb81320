/** The whole document flow over real HTTP, on the in-memory stores. */
import { afterEach, describe, expect, it } from 'vitest';
import { type OutreachApp, buildApp } from '../src/app.js';
import { runDocumentFlow } from './support/document-flow.js';
import { HttpClient } from './support/http-client.js';
import { testConfig } from './support/test-config.js';

describe('the outreach app on in-memory stores', () => {
  let outreach: OutreachApp | null = null;
  afterEach(async () => {
    await outreach?.close();
    outreach = null;
  });

  it('trips, pauses, refuses, resets without resuming, resumes, and completes every job', async () => {
    outreach = await buildApp(testConfig());
    const api = new HttpClient(await outreach.start());
    await runDocumentFlow(outreach, api);
  });

  it('redirects / to the dashboard, which the router serves', async () => {
    outreach = await buildApp(testConfig());
    const api = new HttpClient(await outreach.start());
    const root = await api.get('/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/api/v1/queue-management/dashboard');
    const dashboard = await fetch(`${api.baseUrl}/api/v1/queue-management/dashboard`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers.get('content-type')).toMatch(/text\/html/);
    expect(await dashboard.text()).toContain('Resume Queue &amp; All Campaigns');
  });
});
