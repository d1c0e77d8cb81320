/** The resume report (docs/manual-resume.md): what `resumeQueue` returns, keeps as the last report, and announces. */
import { PREREQUISITES_MET, dryRunMessage, resumeMessage } from './messages.js';

export interface ResumeReport {
  queueResumed: boolean;
  /** Jobs step 5 resumed, the sum of the per-service counts (`Queue resume: 15 jobs resumed for apollo`). */
  jobsResumed: number;
  /** Jobs step 6 resumed with their campaigns (paused after step 5 ran for their service), counted apart. */
  campaignJobsResumed: number;
  campaignsEligible: number;
  campaignsResumed: number;
  /** `Campaign <id>: <message>` for each campaign that failed to resume. */
  campaignResumeErrors: string[];
  servicesResumed: string[];
  prerequisitesMet: string;
  message: string;
  resumeId: string;
  requestedBy: string | null;
  /** ISO-8601 */
  startedAt: string;
  finishedAt: string;
  dryRun: boolean;
}

export interface ReportInput {
  resumeId: string;
  requestedBy: string | null;
  startedAt: Date;
  finishedAt: Date;
  dryRun: boolean;
  services: readonly string[];
  jobsResumed: number;
  campaignJobsResumed: number;
  campaignsEligible: number;
  campaignsResumed: number;
  campaignResumeErrors: readonly string[];
}

export function buildReport(input: ReportInput): ResumeReport {
  return {
    queueResumed: !input.dryRun,
    jobsResumed: input.jobsResumed,
    campaignJobsResumed: input.campaignJobsResumed,
    campaignsEligible: input.campaignsEligible,
    campaignsResumed: input.campaignsResumed,
    campaignResumeErrors: [...input.campaignResumeErrors],
    servicesResumed: [...input.services],
    prerequisitesMet: PREREQUISITES_MET,
    message: input.dryRun
      ? dryRunMessage(input.jobsResumed, input.campaignsResumed)
      : resumeMessage(input.jobsResumed, input.campaignsResumed, input.campaignResumeErrors.length),
    resumeId: input.resumeId,
    requestedBy: input.requestedBy,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    dryRun: input.dryRun,
  };
}
