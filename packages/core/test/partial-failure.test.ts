/** A partial resume (docs/manual-resume.md#the-report): failures are collected and never block the other campaigns. */
import { InMemoryCampaignRepository, InvalidTransitionError } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { documentScenario, failUntilOpen } from './support/document-scenario';

describe('a resume where two campaigns fail', () => {
  it('resumes the other 6, reports both errors, and leaves the two PAUSED', async () => {
    const failures = new Map<string, Error>();
    const repository = new InMemoryCampaignRepository({
      beforeCampaignResume: (campaign) => {
        const failure = failures.get(campaign.id);
        if (failure) throw failure;
      },
    });
    const { bw, campaigns, campaignIds, logger } = await documentScenario({ repository });
    const [first, second] = [campaignIds[2] as string, campaignIds[5] as string];
    failures.set(first, new InvalidTransitionError('PAUSED', 'RUNNING'));
    failures.set(second, new Error('Database constraint violation'));
    await failUntilOpen(bw, 'apollo', 'HTTP 503');
    await bw.breakers.reset('apollo');

    const failedEvents: string[] = [];
    bw.events.on('campaign:resume-failed', (event) => failedEvents.push(event.campaignId));
    const report = await bw.resumeQueue();

    expect(report.campaignsEligible).toBe(8);
    expect(report.campaignsResumed).toBe(6);
    expect(report.jobsResumed).toBe(15);
    expect(report.campaignResumeErrors).toEqual([
      `Campaign ${first}: Invalid campaign state transition`,
      `Campaign ${second}: Database constraint violation`,
    ]);
    expect(report.message).toBe('Queue resumed successfully: 15 jobs and 6 campaigns resumed (with 2 campaign errors)');
    expect(failedEvents).toEqual([first, second]);

    expect(await campaigns.getCampaign(first)).toMatchObject({ status: 'PAUSED' });
    expect(await campaigns.getCampaign(second)).toMatchObject({ status: 'PAUSED' });
    expect(await campaigns.countCampaignsByStatus()).toMatchObject({ RUNNING: 6, PAUSED: 2 });
    expect(logger.messages()).toContain(`Error resuming campaign ${second} during queue resume: Database constraint violation`);
    expect(logger.messages()).toContain('Manual queue resume completed: 15 jobs, 6 campaigns resumed');

    // Once the cause is gone, the next resume picks the two up.
    failures.clear();
    const again = await bw.resumeQueue();
    expect(again).toMatchObject({ campaignsEligible: 2, campaignsResumed: 2, campaignResumeErrors: [] });
  });
});
