/** The manual resume flow of docs/manual-resume.md end to end on the in-memory stores, with its numbers and strings. */
import { PrerequisitesNotMetError } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { SERVICES, documentScenario, failUntilOpen } from './support/document-scenario';

describe('the manual resume flow', () => {
  it('trips, blocks, resets without resuming, and resumes 45 jobs and 8 campaigns', async () => {
    const { bw, campaigns, campaignIds, logger } = await documentScenario();

    await failUntilOpen(bw, 'apollo', 'HTTP 503 from Apollo');
    await failUntilOpen(bw, 'perplexity', 'HTTP 500 from Perplexity');
    expect(await campaigns.countCampaignsByStatus()).toMatchObject({ PAUSED: 8, RUNNING: 0 });
    expect(await campaigns.countJobsByStatus()).toMatchObject({ PAUSED: 45, PENDING: 0 });
    const pausedStates = await bw.queueStore.getStates(['apollo', 'perplexity', 'openai']);
    expect(pausedStates.map((q) => q.state)).toEqual(['PAUSED', 'PAUSED', 'ACTIVE']);

    // Step 3: any open breaker blocks the resume with its exact message, changing nothing.
    const blocked = await bw.resumeQueue().catch((error: unknown) => error);
    expect(blocked).toBeInstanceOf(PrerequisitesNotMetError);
    expect((blocked as Error).message).toBe('Cannot resume queue: Circuit breakers still open for: apollo (open), perplexity (open)');
    expect((blocked as PrerequisitesNotMetError).blocked).toEqual([
      { service: 'apollo', reason: 'open' },
      { service: 'perplexity', reason: 'open' },
    ]);
    expect(await campaigns.countCampaignsByStatus()).toMatchObject({ PAUSED: 8 });
    expect(await campaigns.countJobsByStatus()).toMatchObject({ PAUSED: 45 });

    // A reset closes a breaker and resumes nothing.
    await bw.breakers.reset('apollo');
    await bw.breakers.reset('perplexity');
    expect((await bw.breakers.list()).map((b) => b.state)).toEqual(['closed', 'closed', 'closed', 'closed', 'closed']);
    expect(await campaigns.countCampaignsByStatus()).toMatchObject({ PAUSED: 8, RUNNING: 0 });
    expect(await campaigns.countJobsByStatus()).toMatchObject({ PAUSED: 45 });
    expect((await bw.queueStore.getStates(['apollo'])).map((q) => q.state)).toEqual(['PAUSED']);

    const report = await bw.resumeQueue({ requestedBy: 'operator@example.com' });
    expect(report).toMatchObject({
      queueResumed: true,
      jobsResumed: 45,
      campaignsEligible: 8,
      campaignsResumed: 8,
      campaignResumeErrors: [],
      servicesResumed: [...SERVICES],
      prerequisitesMet: 'All circuit breakers closed',
      message: 'Queue resumed successfully: 45 jobs and 8 campaigns resumed',
      requestedBy: 'operator@example.com',
      dryRun: false,
    });

    for (const id of campaignIds) {
      expect(await campaigns.getCampaign(id)).toMatchObject({
        status: 'RUNNING',
        statusMessage: 'Campaign resumed - services are available',
      });
    }
    const jobs = await campaigns.listJobs();
    expect(jobs).toHaveLength(45);
    expect(jobs.every((job) => job.status === 'PENDING' && job.error === null)).toBe(true);
    expect((await bw.queueStore.getStates(SERVICES)).every((q) => q.state === 'ACTIVE')).toBe(true);

    const messages = logger.messages();
    // The cascades' lines, as docs/operating.md quotes them, with the counts as fields for log queries.
    expect(logger.lines.filter((line) => line.message.startsWith('Pause cascade:'))).toEqual([
      {
        level: 'warn',
        message: 'Pause cascade: apollo queue paused, 15 jobs and 8 campaigns paused',
        fields: {
          service: 'apollo',
          reason: 'Circuit breaker open for apollo: HTTP 503 from Apollo',
          source: 'cascade',
          jobsPaused: 15,
          campaignsPaused: 8,
        },
      },
      {
        level: 'warn',
        message: 'Pause cascade: perplexity queue paused, 30 jobs and 0 campaigns paused',
        fields: {
          service: 'perplexity',
          reason: 'Circuit breaker open for perplexity: HTTP 500 from Perplexity',
          source: 'cascade',
          jobsPaused: 30,
          campaignsPaused: 0,
        },
      },
    ]);
    expect(messages).toContain('Manual queue resume requested - validating prerequisites');
    expect(messages).toContain('Prerequisites met: All circuit breakers are closed - proceeding with queue resume');
    expect(messages).toContain('Queue resume: 15 jobs resumed for apollo');
    expect(messages).toContain('Queue resume: 30 jobs resumed for perplexity');
    expect(messages).toContain('Queue resume: 0 jobs resumed for openai');
    for (const id of campaignIds) expect(messages).toContain(`Queue resume: Campaign ${id} resumed`);
    expect(messages).toContain('Manual queue resume completed: 45 jobs, 8 campaigns resumed');
    // The steps run in the order docs/manual-resume.md gives.
    const order = [
      'Manual queue resume requested',
      'Prerequisites met',
      'Queue resume: 15 jobs',
      'Queue resume: Campaign',
      'Manual queue resume completed',
    ];
    const positions = order.map((prefix) => messages.findLastIndex((m) => m.startsWith(prefix)));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    expect((await bw.status()).lastReport).toEqual(report);
  });

  it('reports half-open breakers as blocking: apollo (half_open)', async () => {
    let now = 1_000_000;
    const { bw } = await documentScenario({ clock: () => now });
    await failUntilOpen(bw, 'apollo', 'timeout');
    now += 60_000;
    expect(await bw.breakers.shouldAllowRequest('apollo')).toEqual({ allowed: true, reason: null });
    await expect(bw.resumeQueue()).rejects.toThrow('Cannot resume queue: Circuit breakers still open for: apollo (half_open)');
  });

  it('a dry run checks prerequisites and counts without changing anything', async () => {
    const { bw, campaigns } = await documentScenario();
    await failUntilOpen(bw, 'apollo', 'down');
    await expect(bw.resumeQueue({ dryRun: true })).rejects.toThrow('Cannot resume queue: Circuit breakers still open for: apollo (open)');
    await bw.breakers.reset('apollo');
    const preview = await bw.resumeQueue({ dryRun: true });
    expect(preview).toMatchObject({ dryRun: true, queueResumed: false, jobsResumed: 15, campaignsEligible: 8, campaignsResumed: 8 });
    expect(await campaigns.countCampaignsByStatus()).toMatchObject({ PAUSED: 8 });
    expect(await campaigns.countJobsByStatus()).toMatchObject({ PAUSED: 15, PENDING: 30 });
    expect((await bw.status()).lastReport).toBeNull();
  });
});
