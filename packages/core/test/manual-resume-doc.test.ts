/**
 * docs/manual-resume.md quotes the operator's strings and lists the report's fields: this holds the
 * page to the code, so a change to either shows up here.
 */
import { readFileSync } from 'node:fs';
import {
  CAMPAIGN_RESUMED_MESSAGE,
  LOG_PREREQUISITES_MET,
  LOG_RESUME_REQUESTED,
  PREREQUISITES_MET,
  ResumeInProgressError,
  buildReport,
  campaignResumeError,
  campaignResumeErrorLog,
  campaignResumedLog,
  dryRunMessage,
  prerequisitesNotMetMessage,
  resumeCompletedLog,
  resumeMessage,
  serviceResumedLog,
} from '@breakwater/core';
import { describe, expect, it } from 'vitest';

const PAGE = readFileSync(new URL('../../../docs/manual-resume.md', import.meta.url), 'utf8');

describe('docs/manual-resume.md', () => {
  it.each([
    LOG_RESUME_REQUESTED,
    LOG_PREREQUISITES_MET,
    PREREQUISITES_MET,
    CAMPAIGN_RESUMED_MESSAGE,
    prerequisitesNotMetMessage([
      { service: 'apollo', reason: 'open' },
      { service: 'perplexity', reason: 'open' },
    ]),
    serviceResumedLog('apollo', 15),
    campaignResumedLog('<id>'),
    campaignResumeErrorLog('<id>', '<message>'),
    campaignResumeError('<id>', '<message>'),
    campaignResumeError('12345', 'Invalid campaign state transition'),
    resumeCompletedLog(45, 8),
    resumeMessage(45, 8, 0),
    resumeMessage(45, 6, 2),
    dryRunMessage(45, 8),
    new ResumeInProgressError().message,
  ])('quotes `%s` as the code writes it', (text) => {
    // In the text as code (`…`), or in an example's JSON ("…").
    const quoted = [`\`${text}\``, JSON.stringify(text)].filter((form) => PAGE.includes(form));
    expect(quoted).not.toEqual([]);
  });

  it('lists every field of the report', () => {
    // Every count set, optional ones included, so every field is in the report.
    const input = {
      resumeId: 'r',
      requestedBy: null,
      startedAt: new Date(0),
      finishedAt: new Date(0),
      dryRun: false,
      services: ['apollo'],
      jobsResumed: 1,
      campaignJobsResumed: 1,
      campaignsEligible: 2,
      campaignsResumed: 1,
      campaignResumeErrors: ['Campaign 2: failed'],
    };
    // (The HTTP column beside it is the express plugin's, checked in its own tests.)
    for (const key of Object.keys(buildReport(input))) expect(PAGE).toMatch(new RegExp(`^\\| \`${key}\` +\\|`, 'm'));
  });
});
