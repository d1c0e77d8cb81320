/**
 * The operator's flow in a real browser (Debian's Chromium via playwright-core) with an API token
 * configured: the dashboard shows everything, refuses changes until the operator logs in at /login,
 * then resets the breaker and resumes from the page, and the workers finish every job.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutreachApp, buildApp } from '../src/app.js';
import { launchCampaign } from '../src/campaign-launch.js';
import { waitUntil } from '../src/wait-until.js';
import { testConfig } from './support/test-config.js';

// Debian's Chromium, which scripts/ensure-environment.sh installs; CHROMIUM_PATH points elsewhere.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = 'dashboard-e2e-token-0123456789';

let context: BrowserContext;
let userDataDir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`bash scripts/ensure-environment.sh\`, or set CHROMIUM_PATH`);
  userDataDir = await mkdtemp(join(tmpdir(), 'outreach-dashboard-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await context?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe('the dashboard with an API token', () => {
  let outreach: OutreachApp | null = null;
  afterAll(async () => {
    await outreach?.close();
  });

  it('needs the login to act, then resets and resumes from the page', async () => {
    outreach = await buildApp(testConfig({ apiToken: TOKEN }));
    const { bw, services } = outreach;
    const origin = await outreach.start();
    services.apollo.setMode('failing');
    for (let i = 0; i < 2; i += 1) await launchCampaign(bw, { name: `Wave ${i + 1}`, leads: 3, firstLead: i * 3 });
    await waitUntil(
      async () => (await bw.breakers.get('apollo')).state === 'open' && (await bw.campaigns.countCampaignsByStatus()).PAUSED === 2,
      'apollo to trip',
    );

    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      // `/` leads to the dashboard, which anyone may read.
      await page.goto(origin);
      expect(page.url()).toBe(`${origin}/api/v1/queue-management/dashboard`);
      await page.locator('#resume-heading', { hasText: '⚠️ Cannot Resume Queue' }).waitFor();
      expect(await page.locator('#resume-detail').textContent()).toContain('Circuit breakers still open for: apollo (open)');

      // Not logged in: the reset is refused with the app's 401 detail, and nothing changes.
      await page.getByRole('button', { name: 'Reset circuit breaker for apollo' }).click();
      await page.getByText('Authentication required', { exact: false }).first().waitFor();
      expect((await bw.breakers.get('apollo')).state).toBe('open');

      await page.goto(`${origin}/login`);
      await page.locator('input[name="token"]').fill(TOKEN);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`${origin}/api/v1/queue-management/dashboard`);

      services.apollo.setMode('healthy');
      await page.getByRole('button', { name: 'Reset circuit breaker for apollo' }).click();
      await page.locator('#resume-heading', { hasText: '✅ Ready to Resume' }).waitFor();
      const pausedJobs = (await bw.campaigns.countJobsByStatus()).PAUSED;
      expect((await bw.campaigns.countCampaignsByStatus()).PAUSED).toBe(2);

      await page.getByRole('button', { name: 'Resume Queue & All Campaigns' }).click();
      const success = `Successfully resumed queue system. Queue resumed successfully: ${pausedJobs} jobs and 2 campaigns resumed`;
      await page.locator('#resume-message', { hasText: success }).waitFor();
      await page.locator('#last-report', { hasText: 'requested by operator (API token)' }).waitFor();

      // The workers finish the resumed jobs; the page follows live.
      await page.locator('#campaign-counts [data-status="COMPLETED"] .count', { hasText: '2' }).waitFor();
      expect(await bw.campaigns.countJobsByStatus()).toMatchObject({ COMPLETED: 30, PAUSED: 0, FAILED: 0 });
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
