import { describe, expect, it } from 'vitest';
import { buildReport } from '@breakwater/core';
import { toWireReport } from './wire-format.js';

type ReportInput = Parameters<typeof buildReport>[0];

const SERVICES = ['apollo', 'perplexity', 'openai', 'instantly', 'millionverifier'];

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    resumeId: 'resume-1',
    requestedBy: 'ada@example.com',
    startedAt: new Date('2025-01-02T03:04:05.000Z'),
    finishedAt: new Date('2025-01-02T03:04:06.500Z'),
    dryRun: false,
    services: SERVICES,
    jobsResumed: 45,
    campaignJobsResumed: 0,
    campaignsEligible: 8,
    campaignsResumed: 8,
    campaignResumeErrors: [],
    ...overrides,
  };
}

describe('toWireReport', () => {
  it('is the snake_case JSON of the HTTP API, without campaign_resume_errors when none failed', () => {
    const wire = toWireReport(buildReport(input({ campaignJobsResumed: 3 })));
    expect(wire).toEqual({
      queue_resumed: true,
      jobs_resumed: 45,
      campaign_jobs_resumed: 3,
      campaigns_eligible: 8,
      campaigns_resumed: 8,
      services_resumed: SERVICES,
      prerequisites_met: 'All circuit breakers closed',
      message: 'Queue resumed successfully: 45 jobs and 8 campaigns resumed',
      resume_id: 'resume-1',
      requested_by: 'ada@example.com',
      started_at: '2025-01-02T03:04:05.000Z',
      finished_at: '2025-01-02T03:04:06.500Z',
      dry_run: false,
    });
    expect('campaign_resume_errors' in wire).toBe(false);
    expect(JSON.parse(JSON.stringify(wire))).toEqual(wire);
  });

  it('includes campaign_resume_errors when some campaign failed (the partial resume response)', () => {
    const errors = ['Campaign 12345: Invalid campaign state transition', 'Campaign 67890: Database constraint violation'];
    const wire = toWireReport(buildReport(input({ campaignsResumed: 6, campaignResumeErrors: errors })));
    expect(wire).toMatchObject({
      queue_resumed: true,
      jobs_resumed: 45,
      campaigns_eligible: 8,
      campaigns_resumed: 6,
      campaign_resume_errors: errors,
      message: 'Queue resumed successfully: 45 jobs and 6 campaigns resumed (with 2 campaign errors)',
    });
  });
});
