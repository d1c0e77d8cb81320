/** docs/manual-resume.md's table of the report: each field of core's report beside its HTTP form, as the routes send it. */
import { readFileSync } from 'node:fs';
import { buildReport } from '@breakwater/core';
import { toWireReport } from '@breakwater/express-plugin';
import { describe, expect, it } from 'vitest';

const PAGE = readFileSync(new URL('../../../docs/manual-resume.md', import.meta.url), 'utf8');

describe('docs/manual-resume.md', () => {
  it("lists every field of the report, camelCase beside the HTTP API's snake_case", () => {
    // Every count set, optional ones included, so every field is in the report.
    const report = buildReport({
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
    });
    const camel = Object.keys(report);
    const snake = Object.keys(toWireReport(report));
    expect(snake).toHaveLength(camel.length);
    const rows = camel.map((key, index) => new RegExp(`^\\| \`${key}\` +\\| \`${snake[index]}\` +\\|`, 'm'));
    for (const row of rows) expect(PAGE).toMatch(row);
  });
});
