import { describe, expect, it } from 'vitest';
import { parseResumeReport, parseStoredResumeReport } from './parse-resume-report.js';
import { buildReport } from './report.js';

const report = buildReport({
  resumeId: 'resume-1',
  requestedBy: null,
  startedAt: new Date('2025-01-02T03:04:05.000Z'),
  finishedAt: new Date('2025-01-02T03:04:06.500Z'),
  dryRun: false,
  services: ['apollo', 'perplexity'],
  jobsResumed: 45,
  campaignJobsResumed: 3,
  campaignsEligible: 7,
  campaignsResumed: 6,
  campaignResumeErrors: ['Campaign 12: Invalid campaign state transition'],
});

describe('parseStoredResumeReport', () => {
  it('reads back the JSON of a report, field for field', () => {
    expect(parseStoredResumeReport(JSON.stringify(report))).toEqual(report);
  });

  it('reads none when nothing is stored, or what is stored is not JSON', () => {
    expect(parseStoredResumeReport(null)).toBeNull();
    expect(parseStoredResumeReport('{"queueResumed": tru')).toBeNull();
  });

  it('reads none from JSON that is not a report: another value, a field missing, a field of the wrong type', () => {
    const { campaignJobsResumed: _missing, ...older } = report;
    for (const value of [null, 'a string', [], {}, older, { ...report, jobsResumed: '45' }, { ...report, requestedBy: 7 }]) {
      expect(parseStoredResumeReport(JSON.stringify(value))).toBeNull();
    }
  });
});

describe('parseResumeReport', () => {
  it('leaves out fields a report does not have (a newer version may add some)', () => {
    expect(parseResumeReport({ ...report, addedLater: true })).toEqual(report);
  });
});
