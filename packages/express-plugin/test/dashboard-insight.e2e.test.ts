/**
 * What the operator who arrives after an outage sees, in a real browser (Debian's Chromium): whether the
 * background tasks run, the last 24 hours per service, the paused campaigns with their messages (paged),
 * the resume history with who and what, and a trip from the page (reason, then confirmation). Screenshots
 * at a desktop and a narrow width go to test-output/.
 */
import type { HistoryKind, NewHistoryEntry, Worker } from '@breakwater/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium, listen, screenshotPath, watchedPage } from './chromium.js';
import { SERVICES, createTestBreakwater, seedRunningCampaigns } from './in-memory-breakwater.js';
import { MOUNT, SAME_SITE, createTestApp } from './test-app.js';

const HOUR = 3_600_000;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** A night of apollo trouble, written as the processes that lived through it would have: hours ago. */
function lastNight(now: number): NewHistoryEntry[] {
  const at = (hoursAgo: number) => now - hoursAgo * HOUR;
  const entry = (hoursAgo: number, kind: HistoryKind, fields: Partial<NewHistoryEntry> = {}): NewHistoryEntry => ({
    at: at(hoursAgo),
    kind,
    service: null,
    actor: null,
    reason: null,
    details: {},
    ...fields,
  });
  return [
    entry(20, 'breaker:opened', { service: 'openai', reason: 'HTTP 429', details: { from: 'closed' } }),
    entry(19.5, 'breaker:half-open', { service: 'openai', details: { from: 'open' } }),
    entry(19.4, 'breaker:closed', { service: 'openai', details: { from: 'half_open' } }),
    entry(9, 'breaker:opened', { service: 'apollo', reason: 'HTTP 503 from Apollo', details: { from: 'closed' } }),
    entry(9, 'service:paused', { service: 'apollo', reason: 'Circuit breaker open for apollo: HTTP 503 from Apollo' }),
    entry(6, 'resume:requested', { actor: 'night-shift@example.com' }),
    entry(6, 'resume:blocked', {
      actor: 'night-shift@example.com',
      reason: 'Cannot resume queue: Circuit breakers still open for: apollo (open)',
      details: { blocked: [{ service: 'apollo', reason: 'open' }] },
    }),
    entry(5.5, 'breaker:reset', { service: 'apollo', actor: 'night-shift@example.com', details: { from: 'open' } }),
    entry(5.4, 'resume:requested', { actor: 'night-shift@example.com' }),
    entry(5.4, 'resume:completed', {
      actor: 'night-shift@example.com',
      reason: 'Queue resumed successfully: 24 jobs and 12 campaigns resumed (with 1 campaign errors)',
      details: { jobsResumed: 24, campaignsResumed: 12, campaignResumeErrors: ['Campaign 7: Database constraint violation'] },
    }),
  ];
}

async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).innerText()).replace(/\s+/g, ' ').trim();
}

describe('the dashboard, for the operator who arrives after the outage', () => {
  it('shows the background tasks, the last 24 hours, the paused campaigns and the resume history; trips from the page', async () => {
    const { bw, repository, history } = createTestBreakwater({ overrides: { workerHeartbeatIntervalMs: 200 } });
    await history.append(lastNight(Date.now()));
    await seedRunningCampaigns(repository, 12);
    const workers: Worker[] = SERVICES.map((service) =>
      bw.createWorker({ service, concurrency: 2, pollIntervalMs: 50, handler: async () => 'sent' }),
    );
    await Promise.all(workers.map((worker) => worker.start()));
    const app = createTestApp({ breakwater: bw, authorize: () => true, identify: () => 'e2e-operator' });
    const server = await listen(app);
    const { page, problems } = await watchedPage(browser.context);

    try {
      await page.goto(`${server.origin}${MOUNT}/dashboard`);

      // Everything runs: "Background Tasks: Active", backed by the workers' heartbeats.
      await page.locator('#background-tasks', { hasText: 'Background Tasks: Active' }).waitFor();
      expect(await textOf(page, '#background-tasks')).toContain('3 workers live');
      expect(await textOf(page, 'tr[data-service="openai"] td:nth-of-type(5)')).toBe('▶ Active 1 worker');

      // The last 24 hours: apollo was open from 9 h to 5.5 h ago, openai briefly 20 h ago; one resume for all.
      const apollo = page.locator('.timeline-row[data-service="apollo"] svg');
      expect(await apollo.getAttribute('aria-label')).toMatch(/^apollo, last 24 hours: Open [^,;]+–[^,;]+; 1 trip$/);
      expect(await apollo.locator('rect.band-open').count()).toBe(1);
      expect(await apollo.locator('line.mark-trip title').textContent()).toMatch(/Opened: HTTP 503 from Apollo$/);
      expect(await apollo.locator('line.mark-resume title').textContent()).toMatch(/Queue resumed by night-shift@example\.com: .*24 jobs/);
      const openai = page.locator('.timeline-row[data-service="openai"] svg');
      expect(await openai.locator('rect.band-half_open').count()).toBe(1);
      expect(await page.locator('.timeline-row[data-service="perplexity"] svg rect').count()).toBe(1);

      // The resume history, with who and what, the night's per-campaign error included.
      const resumes = page.locator('#resume-history .history-item');
      expect(await resumes.count()).toBe(2);
      expect(await textOf(page, '#resume-history .history-item[data-kind="resume:completed"]')).toMatch(
        /Resumed: Queue resumed successfully: 24 jobs and 12 campaigns resumed \(with 1 campaign errors\) .* requested by night-shift@example\.com Campaign 7: Database constraint violation/,
      );
      expect(await textOf(page, '#resume-history .history-item[data-kind="resume:blocked"]')).toContain(
        'Blocked: Cannot resume queue: Circuit breakers still open for: apollo (open)',
      );
      await page.screenshot({ path: screenshotPath('insight-healthy'), fullPage: true });

      // Trip apollo from the page: it asks for a reason, then for confirmation.
      await page.getByRole('button', { name: 'Trip circuit breaker for apollo' }).click();
      const dialog = page.locator('#trip-dialog');
      await dialog.waitFor({ state: 'visible' });
      expect(await textOf(page, '#trip-title')).toBe('Trip the circuit breaker for apollo?');
      expect(await textOf(page, '#trip-what')).toContain('the apollo queue pauses, its pending jobs pause and the running campaigns pause');
      await page.getByRole('button', { name: 'Trip apollo' }).click();
      await page.locator('#trip-error', { hasText: 'Say why' }).waitFor();
      expect((await bw.breakers.get('apollo')).state).toBe('closed');
      await page.locator('#trip-reason').fill('Apollo announced maintenance until 14:00');
      await page.screenshot({ path: screenshotPath('insight-trip-dialog') });
      await page.getByRole('button', { name: 'Trip apollo' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.locator('#notice', { hasText: 'Circuit breaker for apollo tripped: Apollo announced maintenance until 14:00' }).waitFor();
      expect(await bw.breakers.get('apollo')).toMatchObject({ state: 'open', latched: true });

      // Blocked, in the manual resume's words; the background tasks wait.
      await page.locator('#resume-action', { hasText: 'Required Action: Reset open circuit breakers first' }).waitFor();
      await page.locator('#background-tasks', { hasText: 'Background Tasks: Paused' }).waitFor();
      expect(await textOf(page, '#background-tasks')).toContain('Paused for apollo until a queue resume');
      expect(await textOf(page, 'tr[data-service="apollo"] td:nth-of-type(5)')).toBe('❙❙ Paused 1 worker');
      await page.locator('.timeline-row[data-service="apollo"] line.mark-trip >> nth=1').waitFor({ state: 'attached' });
      expect(await page.locator('.timeline-row[data-service="apollo"] line.mark-trip title').nth(1).textContent()).toMatch(
        /Opened by e2e-operator: Apollo announced maintenance until 14:00$/,
      );

      // The paused campaigns, with their status messages, ten to a page.
      const message = 'Paused: circuit breaker open for apollo (Apollo announced maintenance until 14:00)';
      await page.locator('#paused-count', { hasText: '12 paused' }).waitFor();
      await page.locator('#paused-campaigns tbody tr >> nth=9').waitFor();
      expect(await page.locator('#paused-campaigns tbody tr').count()).toBe(10);
      expect(await textOf(page, '#paused-campaigns tbody tr:first-child')).toMatch(new RegExp(`^Campaign 1 #\\d+ ${escape(message)} `));
      await page.screenshot({ path: screenshotPath('insight-tripped'), fullPage: true });
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator('#paused-position', { hasText: 'Page 2' }).waitFor();
      expect(await page.locator('#paused-campaigns tbody tr th').allInnerTexts()).toEqual([
        expect.stringMatching(/^Campaign 11/),
        expect.stringMatching(/^Campaign 12/),
      ]);
      await page.getByRole('button', { name: 'Previous' }).click();
      await page.locator('#paused-campaigns tbody tr >> nth=9').waitFor();

      // Reset and resume through the API (another operator's browser): the page follows, live.
      const api = `${server.origin}${MOUNT}`;
      const post = (path: string) =>
        fetch(`${api}/${path}`, { method: 'POST', headers: { ...SAME_SITE, 'Content-Type': 'application/json' }, body: '{}' });
      expect((await post('circuit-breakers/apollo/reset')).status).toBe(200);
      expect((await post('resume-queue')).status).toBe(200);
      await page.locator('#resume-history .history-item >> nth=2').waitFor();
      expect(await textOf(page, '#resume-history .history-item:first-child')).toMatch(
        /^✓ Resumed: Queue resumed successfully: \d+ jobs and 12 campaigns resumed .* requested by e2e-operator$/,
      );
      await page.locator('#paused-count', { hasText: '0 paused' }).waitFor();
      await page.locator('#paused-campaigns', { hasText: 'No campaign is paused.' }).waitFor();
      await page.locator('#background-tasks', { hasText: 'Background Tasks: Active' }).waitFor();
      await page.screenshot({ path: screenshotPath('insight-resumed'), fullPage: true });

      await page.setViewportSize({ width: 420, height: 900 });
      await page.screenshot({ path: screenshotPath('insight-narrow'), fullPage: true });
      await page.locator('section[aria-labelledby="timeline-title"]').screenshot({ path: screenshotPath('insight-narrow-timeline') });
      // Nothing spills sideways on a phone: the page is as wide as the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await server.close();
      await Promise.all(workers.map((worker) => worker.stop()));
      await bw.close();
    }
  });

  it('says so when the server records no history, and shows older resumes on demand', async () => {
    const { bw } = createTestBreakwater({ overrides: { history: undefined, workers: undefined } });
    const server = await listen(createTestApp({ breakwater: bw, allowUnauthenticated: true }));
    const { page, problems } = await watchedPage(browser.context);
    try {
      await page.goto(`${server.origin}${MOUNT}/dashboard`);
      await page.locator('#timeline-body', { hasText: 'This server records no history.' }).waitFor();
      expect(await textOf(page, '#resume-history')).toBe('This server records no history.');
      expect(await textOf(page, '#background-tasks')).toBe('? Background Tasks: Not reported No worker registry is configured.');
      // The browser logs the history's 404s; nothing else may go wrong.
      expect(problems.filter((problem) => !problem.includes('status of 404 (Not Found)'))).toEqual([]);
    } finally {
      await page.close();
      await server.close();
      await bw.close();
    }

    const busy = createTestBreakwater();
    const now = Date.now();
    await busy.history.append(
      Array.from({ length: 11 }, (_, i) => ({
        at: now - (11 - i) * 60_000,
        kind: 'resume:blocked' as const,
        service: null,
        actor: `operator-${i}`,
        reason: 'Cannot resume queue: Circuit breakers still open for: apollo (open)',
        details: {},
      })),
    );
    const busyServer = await listen(createTestApp({ breakwater: busy.bw, allowUnauthenticated: true }));
    const second = await watchedPage(browser.context);
    try {
      await second.page.goto(`${busyServer.origin}${MOUNT}/dashboard`);
      await second.page.locator('#resume-history .history-item >> nth=7').waitFor();
      expect(await second.page.locator('#resume-history .history-item').count()).toBe(8);
      await second.page.getByRole('button', { name: 'Show older' }).click();
      await second.page.locator('#resume-history .history-item >> nth=10').waitFor();
      expect(await second.page.locator('#resume-history-more').isHidden()).toBe(true);
      expect(await textOf(second.page, '#resume-history .history-item:last-child')).toContain('requested by operator-0');
      expect(second.problems).toEqual([]);
    } finally {
      await second.page.close();
      await busyServer.close();
      await busy.bw.close();
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
