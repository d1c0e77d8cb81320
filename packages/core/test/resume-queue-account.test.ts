/**
 * What a resume tells about itself, beyond its counts: each event and log line carries its id (the operator
 * follows one resume through the logs by it), campaigns spread over many pages are each resumed once even
 * when some fail, and jobs a worker put back while the resume ran are counted and logged apart (step 7).
 */
import { InMemoryCampaignRepository, InMemoryCircuitBreakerStore, InMemoryQueueStore, createBreakwater } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { recordingLogger } from './support/recording-logger';

/** Runs `beforeCampaignStep` once, when the resume first lists the paused campaigns (its step 6, after step 5). */
class CampaignsWithHook extends InMemoryCampaignRepository {
  beforeCampaignStep: (() => Promise<void>) | null = null;
  override async listPausedCampaignIds(query: { after?: string; limit: number }): Promise<string[]> {
    const hook = this.beforeCampaignStep;
    this.beforeCampaignStep = null;
    await hook?.();
    return super.listPausedCampaignIds(query);
  }
}

function setup(campaigns: InMemoryCampaignRepository, options: { resumeBatchSize?: number } = {}) {
  const logger = recordingLogger();
  const bw = createBreakwater({
    services: ['apollo', 'openai'],
    breakerStore: new InMemoryCircuitBreakerStore(),
    queueStore: new InMemoryQueueStore(),
    campaigns,
    reconcileIntervalMs: 0,
    logger,
    ...options,
  });
  return { bw, logger };
}

describe('a resume', () => {
  it('puts its id on every event and log line it makes, with the counts on its last line', async () => {
    const campaigns = new InMemoryCampaignRepository();
    const { bw, logger } = setup(campaigns);
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    await bw.breakers.trip('apollo', 'down');
    await expect(bw.resumeQueue()).rejects.toThrow('Cannot resume queue');
    expect(logger.lines.find((line) => line.level === 'warn' && line.message.startsWith('Cannot resume queue'))?.fields).toEqual({
      resumeId: expect.any(String),
      blocked: [{ service: 'apollo', reason: 'open' }],
    });
    await bw.breakers.reset('apollo');
    const events: [string, unknown][] = [];
    for (const name of ['service:resumed', 'campaign:resumed'] as const) bw.events.on(name, (event) => events.push([name, event]));
    const linesBefore = logger.lines.length;

    const report = await bw.resumeQueue({ requestedBy: 'ada@example.com' });

    const { resumeId } = report;
    expect(events).toEqual([
      ['service:resumed', { service: 'apollo', jobsResumed: 1, remote: false, resumeId }],
      ['service:resumed', { service: 'openai', jobsResumed: 0, remote: false, resumeId }],
      ['campaign:resumed', { resumeId, campaignId: campaign.id }],
    ]);
    const lines = logger.lines.slice(linesBefore);
    // In the order docs/manual-resume.md gives; no line for step 7, which had nothing to count.
    expect(lines.map((line) => line.message)).toEqual([
      'Manual queue resume requested - validating prerequisites',
      'Prerequisites met: All circuit breakers are closed - proceeding with queue resume',
      'Queue resume: 1 jobs resumed for apollo',
      'Queue resume: 0 jobs resumed for openai',
      `Queue resume: Campaign ${campaign.id} resumed`,
      'Manual queue resume completed: 1 jobs, 1 campaigns resumed',
    ]);
    for (const line of lines) expect({ line: line.message, resumeId: line.fields.resumeId }).toEqual({ line: line.message, resumeId });
    expect(lines[0]?.fields).toEqual({ resumeId, requestedBy: 'ada@example.com', dryRun: false });
    expect(lines.find((line) => line.message.startsWith('Queue resume: 1 jobs resumed for apollo'))?.fields).toEqual({
      resumeId,
      service: 'apollo',
      jobsResumed: 1,
    });
    expect(lines.at(-1)).toEqual({
      level: 'info',
      message: 'Manual queue resume completed: 1 jobs, 1 campaigns resumed',
      fields: { resumeId, jobsResumed: 1, campaignsResumed: 1, campaignErrors: 0 },
    });
  });

  it('resumes campaigns spread over many pages each once, a failing one included (it is reported, not retried)', async () => {
    const failing = new Set<string>();
    const campaigns = new InMemoryCampaignRepository({
      beforeCampaignResume: (campaign) => {
        if (failing.has(campaign.id)) throw new Error('constraint violated');
      },
    });
    const { bw, logger } = setup(campaigns, { resumeBatchSize: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await campaigns.createCampaign({ name: `c${i}`, status: 'PAUSED' })).id);
    failing.add(ids[1] ?? '');
    const resumed: string[] = [];
    bw.events.on('campaign:resumed', (event) => resumed.push(event.campaignId));

    const report = await bw.resumeQueue();

    expect(report).toMatchObject({
      campaignsEligible: 5,
      campaignsResumed: 4,
      campaignResumeErrors: [expect.stringContaining(ids[1] ?? '')],
    });
    expect(resumed.sort()).toEqual(ids.filter((id) => !failing.has(id)).sort());
    expect(await campaigns.countCampaignsByStatus()).toMatchObject({ RUNNING: 4, PAUSED: 1 });
    expect(logger.lines.find((line) => line.level === 'error')?.fields).toEqual({ resumeId: report.resumeId, campaignId: ids[1] });
  });

  it('counts and logs apart the jobs a worker put back after step 5, which the campaign step resumes (step 7)', async () => {
    const campaigns = new CampaignsWithHook();
    const { bw, logger } = setup(campaigns);
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    const [running] = await campaigns.claimJobs({ service: 'apollo', workerId: 'w1', limit: 1, leaseMs: 60_000 });
    await bw.breakers.trip('apollo', 'down');
    await bw.breakers.reset('apollo');
    // The job still running when the breaker opened: its worker puts it back once step 5 has lowered the fence.
    campaigns.beforeCampaignStep = async () => {
      await campaigns.repauseJob({ jobId: running?.id ?? '', workerId: 'w1', reason: 'Circuit breaker open for apollo: down' });
    };

    const report = await bw.resumeQueue();

    expect(report).toMatchObject({ jobsResumed: 0, campaignJobsResumed: 1, campaignsResumed: 1 });
    expect(await campaigns.getJob(running?.id ?? '')).toMatchObject({ status: 'PENDING', error: null });
    expect(logger.lines.find((line) => line.message === 'Queue resume: 1 jobs resumed with their campaigns')?.fields).toEqual({
      resumeId: report.resumeId,
      campaignJobsResumed: 1,
    });
  });

  it('brings back, and counts, a job whose worker died while its service was paused (its lease expired)', async () => {
    let now = 1_000_000;
    const campaigns = new InMemoryCampaignRepository({ clock: () => now });
    const { bw, logger } = setup(campaigns);
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    const job = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    // A worker claims one job, then dies: its job stays PROCESSING under a lease that runs out during the outage.
    await campaigns.claimJobs({ service: 'apollo', workerId: 'dead-worker', limit: 1, leaseMs: 30_000 });
    await bw.breakers.trip('apollo', 'outage');
    now += 60_000;
    await bw.breakers.reset('apollo');

    const report = await bw.resumeQueue();
    expect(await campaigns.getJob(job.id)).toMatchObject({ status: 'PENDING', leaseOwner: null, error: null, attempts: 1 });
    expect(report.jobsResumed).toBe(2);
    expect(logger.messages()).toContain('Queue resume: 2 jobs resumed for apollo');
  });

  it('as a dry run reports no campaign errors, and changes nothing', async () => {
    const campaigns = new InMemoryCampaignRepository();
    const { bw } = setup(campaigns);
    await campaigns.createCampaign({ name: 'c', status: 'PAUSED' });
    const report = await bw.resumeQueue({ dryRun: true });
    expect(report).toMatchObject({ dryRun: true, campaignsEligible: 1, campaignsResumed: 1, campaignResumeErrors: [] });
    expect(await campaigns.countCampaignsByStatus()).toMatchObject({ PAUSED: 1 });
  });
});
