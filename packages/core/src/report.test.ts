import { describe, expect, it } from 'vitest';
import { buildReport } from './report.js';
import type { ReportInput } from './report.js';

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

describe('buildReport', () => {
  it('builds the success report of docs/manual-resume.md', () => {
    expect(buildReport(input())).toEqual({
      queueResumed: true,
      jobsResumed: 45,
      campaignJobsResumed: 0,
      campaignsEligible: 8,
      campaignsResumed: 8,
      campaignResumeErrors: [],
      servicesResumed: SERVICES,
      prerequisitesMet: 'All circuit breakers closed',
      message: 'Queue resumed successfully: 45 jobs and 8 campaigns resumed',
      resumeId: 'resume-1',
      requestedBy: 'ada@example.com',
      startedAt: '2025-01-02T03:04:05.000Z',
      finishedAt: '2025-01-02T03:04:06.500Z',
      dryRun: false,
    });
  });

  it('counts campaign errors in the message', () => {
    const errors = ['Campaign 12345: Invalid campaign state transition', 'Campaign 67890: Database constraint violation'];
    const report = buildReport(input({ campaignsResumed: 6, campaignResumeErrors: errors }));
    expect(report.campaignResumeErrors).toEqual(errors);
    expect(report.message).toBe('Queue resumed successfully: 45 jobs and 6 campaigns resumed (with 2 campaign errors)');
  });

  it('a dry run resumes nothing and says what it would do', () => {
    const report = buildReport(input({ dryRun: true, jobsResumed: 3, campaignsResumed: 2 }));
    expect(report).toMatchObject({ queueResumed: false, dryRun: true, message: 'Dry run: 3 jobs and 2 campaigns would be resumed' });
  });

  it('copies its lists, so later changes to the input do not leak into the report', () => {
    const services = [...SERVICES];
    const errors = ['Campaign 1: x'];
    const report = buildReport(input({ services, campaignResumeErrors: errors }));
    services.push('extra');
    errors.push('Campaign 2: y');
    expect(report.servicesResumed).toEqual(SERVICES);
    expect(report.campaignResumeErrors).toEqual(['Campaign 1: x']);
  });
});
