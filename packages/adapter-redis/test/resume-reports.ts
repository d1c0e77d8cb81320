import { type ResumeReport, buildReport } from '@breakwater/core';

/** A finished resume's report, as core saves it: for tests that need one to save, not to read field by field. */
export function resumeReport(resumeId: string): ResumeReport {
  return buildReport({
    resumeId,
    requestedBy: null,
    startedAt: new Date('2025-01-02T03:04:05.000Z'),
    finishedAt: new Date('2025-01-02T03:04:06.000Z'),
    dryRun: false,
    services: ['apollo'],
    jobsResumed: 0,
    campaignJobsResumed: 0,
    campaignsEligible: 0,
    campaignsResumed: 0,
    campaignResumeErrors: [],
  });
}
