/** The resume report (core, camelCase) and its wire form (snake_case, as the HTTP API answers: docs/manual-resume.md). */
import { PREREQUISITES_MET, dryRunMessage, resumeMessage } from './messages.js';

export interface ResumeReport {
  queueResumed: boolean;
  jobsResumed: number;
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

export interface WireReport {
  queue_resumed: boolean;
  jobs_resumed: number;
  campaigns_eligible: number;
  campaigns_resumed: number;
  campaign_resume_errors?: string[];
  services_resumed: string[];
  prerequisites_met: string;
  message: string;
  resume_id: string;
  requested_by: string | null;
  started_at: string;
  finished_at: string;
  dry_run: boolean;
}

export interface ReportInput {
  resumeId: string;
  requestedBy: string | null;
  startedAt: Date;
  finishedAt: Date;
  dryRun: boolean;
  services: readonly string[];
  jobsResumed: number;
  campaignsEligible: number;
  campaignsResumed: number;
  campaignResumeErrors: readonly string[];
}

export function buildReport(input: ReportInput): ResumeReport {
  return {
    queueResumed: !input.dryRun,
    jobsResumed: input.jobsResumed,
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

/** The HTTP API's JSON; `campaign_resume_errors` appears only when some campaign failed. */
export function toWireReport(report: ResumeReport): WireReport {
  return {
    queue_resumed: report.queueResumed,
    jobs_resumed: report.jobsResumed,
    campaigns_eligible: report.campaignsEligible,
    campaigns_resumed: report.campaignsResumed,
    ...(report.campaignResumeErrors.length > 0 ? { campaign_resume_errors: [...report.campaignResumeErrors] } : {}),
    services_resumed: [...report.servicesResumed],
    prerequisites_met: report.prerequisitesMet,
    message: report.message,
    resume_id: report.resumeId,
    requested_by: report.requestedBy,
    started_at: report.startedAt,
    finished_at: report.finishedAt,
    dry_run: report.dryRun,
  };
}
