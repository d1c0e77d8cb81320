/**
 * The operator's flow of docs/manual-resume.md#what-the-operator-sees in a real browser (Debian's Chromium via playwright-core):
 * blocked → reset from the page → ready → resume (button disabled while it runs) → success, live.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueAction } from '@breakwater/express-plugin';
import { type Browser, launchChromium, listen, screenshotPath, watchedPage } from './chromium.js';
import { ResumeGate, createTestBreakwater, seedRunningCampaigns } from './in-memory-breakwater.js';
import { MOUNT, createTestApp } from './test-app.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Waits until the resume button reads `text` and is (or is not) disabled. */
async function resumeButtonIs(page: Page, text: string, disabled: boolean): Promise<void> {
  await page.waitForFunction(
    ([expectedText, expectedDisabled]) => {
      const button = document.getElementById('resume-button') as HTMLButtonElement | null;
      return button?.textContent === expectedText && button.disabled === expectedDisabled;
    },
    [text, disabled] as const,
  );
}

describe('QueueMonitoringDashboard', () => {
  it('walks the manual queue resume flow, live', async () => {
    const gate = new ResumeGate();
    const { bw, repository } = createTestBreakwater({ gate });
    const ids = await seedRunningCampaigns(repository);
    await bw.breakers.trip('apollo', 'HTTP 503 from Apollo');
    const pausedJobs = (await repository.countJobsByStatus()).PAUSED;
    const server = await listen(createTestApp({ breakwater: bw, authorize: () => true, identify: () => 'e2e-operator' }));
    const { origin } = server;
    const { page, problems } = await watchedPage(browser.context);

    try {
      await page.goto(`${origin}${MOUNT}/dashboard`);

      // Before: a breaker is open, the resume is blocked and names it.
      await page.locator('#resume-heading', { hasText: '⚠️ Cannot Resume Queue' }).waitFor();
      expect(await page.locator('#resume-detail').textContent()).toContain('Circuit breakers still open for: apollo (open)');
      expect(await page.locator('#resume-action').textContent()).toBe('Required Action: Reset open circuit breakers first');
      await resumeButtonIs(page, 'Resume Queue & All Campaigns', true);
      const apolloRow = page.locator('tr[data-service="apollo"]');
      expect(await apolloRow.locator('td').nth(0).innerText()).toContain('Open');
      expect(await apolloRow.locator('td').nth(2).innerText()).toBe('HTTP 503 from Apollo');
      expect(await apolloRow.locator('td').nth(3).innerText()).toContain('Paused');
      await page.locator('#connection-text', { hasText: 'Live updates' }).waitFor();
      await page.screenshot({ path: screenshotPath('dashboard-blocked'), fullPage: true });

      // Reset the breaker from the page, with the keyboard.
      await page.getByRole('button', { name: 'Reset circuit breaker for apollo' }).focus();
      await page.keyboard.press('Enter');
      await page.locator('#resume-heading', { hasText: '✅ Ready to Resume' }).waitFor();
      await page.locator('#notice', { hasText: 'Circuit breaker for apollo reset to closed.' }).waitFor();
      await page.locator('#preview-campaigns', { hasText: String(ids.length) }).waitFor();
      expect(await page.locator('#preview-jobs').textContent()).toBe(String(pausedJobs));
      // A reset resumes nothing.
      expect(await page.locator('#campaign-counts [data-status="PAUSED"] .count').textContent()).toBe(String(ids.length));
      await page.screenshot({ path: screenshotPath('dashboard-ready'), fullPage: true });

      // Resume: the button reads "Resuming Queue..." and is disabled until the call returns.
      await resumeButtonIs(page, 'Resume Queue & All Campaigns', false);
      await page.getByRole('button', { name: 'Resume Queue & All Campaigns' }).click();
      await gate.entered;
      await resumeButtonIs(page, 'Resuming Queue...', true);
      await page.screenshot({ path: screenshotPath('dashboard-resuming'), fullPage: true });
      gate.open();

      const success = `Successfully resumed queue system. Queue resumed successfully: ${pausedJobs} jobs and ${ids.length} campaigns resumed`;
      await page.locator('#resume-message', { hasText: success }).waitFor();
      await page.locator('#campaign-counts [data-status="RUNNING"] .count', { hasText: String(ids.length) }).waitFor();
      expect(await page.locator('#campaign-counts [data-status="PAUSED"] .count').textContent()).toBe('0');
      await resumeButtonIs(page, 'Resume Queue & All Campaigns', false);
      await page.locator('#last-report', { hasText: 'requested by e2e-operator' }).waitFor();
      for (const id of ids) expect((await repository.getCampaign(id))?.status).toBe('RUNNING');
      await page.screenshot({ path: screenshotPath('dashboard-resumed'), fullPage: true });
      await page.setViewportSize({ width: 420, height: 900 });
      await page.screenshot({ path: screenshotPath('dashboard-narrow'), fullPage: true });

      // Live: a trip made elsewhere reaches the open page through the event stream.
      await bw.breakers.trip('openai', 'quota exhausted');
      await page.locator('#resume-heading', { hasText: '⚠️ Cannot Resume Queue' }).waitFor();
      expect(await page.locator('#resume-detail').textContent()).toContain('openai (open)');

      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await server.close();
      await bw.close();
    }
  });

  it('lists per-campaign errors, and shows why a resume was refused', async () => {
    const { bw, repository } = createTestBreakwater({
      repository: {
        beforeCampaignResume: (campaign) => {
          if (campaign.name === 'Campaign 2') throw new Error('Database constraint violation');
        },
      },
    });
    const [, failing] = await seedRunningCampaigns(repository);
    await bw.breakers.trip('apollo', 'HTTP 503 from Apollo');
    await bw.breakers.reset('apollo');
    // A breaker that trips between the page's last refresh and the operator's click: the server refuses.
    let tripOnResume = false;
    const authorize = async (_req: unknown, action: QueueAction) => {
      if (action === 'resume' && tripOnResume) await bw.breakers.trip('perplexity', 'rate limited');
      return true;
    };
    const server = await listen(createTestApp({ breakwater: bw, authorize }));
    const { origin } = server;
    const { page } = await watchedPage(browser.context);

    try {
      await page.goto(`${origin}${MOUNT}/dashboard`);
      await page.locator('#resume-heading', { hasText: '✅ Ready to Resume' }).waitFor();
      await resumeButtonIs(page, 'Resume Queue & All Campaigns', false);
      await page.getByRole('button', { name: 'Resume Queue & All Campaigns' }).click();

      await page.locator('#resume-message', { hasText: 'Successfully resumed queue system.' }).waitFor();
      expect(await page.locator('#resume-message').textContent()).toMatch(/1 campaigns resumed \(with 1 campaign errors\)$/);
      expect(await page.locator('#resume-error li').allTextContents()).toEqual([`Campaign ${failing}: Database constraint violation`]);
      await page.locator('#last-report li', { hasText: `Campaign ${failing}: Database constraint violation` }).waitFor();
      await page.screenshot({ path: screenshotPath('dashboard-campaign-errors'), fullPage: true });

      tripOnResume = true;
      await page.getByRole('button', { name: 'Resume Queue & All Campaigns' }).click();
      await page.locator('#resume-error', { hasText: 'Cannot resume queue: Circuit breakers still open for: perplexity (open)' }).waitFor();
      expect(await page.locator('#resume-message').textContent()).toBe('');
      await page.locator('#resume-heading', { hasText: '⚠️ Cannot Resume Queue' }).waitFor();
      await page.screenshot({ path: screenshotPath('dashboard-refused'), fullPage: true });
    } finally {
      await page.close();
      await server.close();
      await bw.close();
    }
  });
});
