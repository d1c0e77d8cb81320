/**
 * Every string an operator reads, as docs/manual-resume.md quotes them (messages.test.ts holds them to it).
 * Kept apart so the orchestrator, the HTTP layer and the tests share one spelling.
 */
import type { BlockedService } from './errors.js';

export const LOG_RESUME_REQUESTED = 'Manual queue resume requested - validating prerequisites';
export const LOG_PREREQUISITES_MET = 'Prerequisites met: All circuit breakers are closed - proceeding with queue resume';
export const PREREQUISITES_MET = 'All circuit breakers closed';
export const CAMPAIGN_RESUMED_MESSAGE = 'Campaign resumed - services are available';

/** `Cannot resume queue: Circuit breakers still open for: apollo (open), perplexity (open)` */
export function prerequisitesNotMetMessage(blocked: readonly BlockedService[]): string {
  return `Cannot resume queue: Circuit breakers still open for: ${blocked.map((b) => `${b.service} (${b.reason})`).join(', ')}`;
}

/** `Queue resume: 15 jobs resumed for apollo` */
export function serviceResumedLog(service: string, jobsResumed: number): string {
  return `Queue resume: ${jobsResumed} jobs resumed for ${service}`;
}

/** `Queue resume: Campaign 12345 resumed` */
export function campaignResumedLog(campaignId: string): string {
  return `Queue resume: Campaign ${campaignId} resumed`;
}

/** `Campaign 12345: Invalid campaign state transition` (the report's entry) */
export function campaignResumeError(campaignId: string, message: string): string {
  return `Campaign ${campaignId}: ${message}`;
}

/** `Error resuming campaign 12345 during queue resume: <message>` */
export function campaignResumeErrorLog(campaignId: string, message: string): string {
  return `Error resuming campaign ${campaignId} during queue resume: ${message}`;
}

/** `Manual queue resume completed: 45 jobs, 8 campaigns resumed` */
export function resumeCompletedLog(jobsResumed: number, campaignsResumed: number): string {
  return `Manual queue resume completed: ${jobsResumed} jobs, ${campaignsResumed} campaigns resumed`;
}

/** `Queue resumed successfully: 45 jobs and 6 campaigns resumed (with 2 campaign errors)` */
export function resumeMessage(jobsResumed: number, campaignsResumed: number, campaignErrors: number): string {
  const base = `Queue resumed successfully: ${jobsResumed} jobs and ${campaignsResumed} campaigns resumed`;
  return campaignErrors > 0 ? `${base} (with ${campaignErrors} campaign errors)` : base;
}

/** A dry run's message: what `resumeQueue()` would do now. */
export function dryRunMessage(jobs: number, campaigns: number): string {
  return `Dry run: ${jobs} jobs and ${campaigns} campaigns would be resumed`;
}

/** Why a service's queue and jobs were paused (queue reason and job error). */
export function servicePausedReason(service: string, failureReason: string | null): string {
  return `Circuit breaker open for ${service}${failureReason ? `: ${failureReason}` : ''}`;
}

/** The status message of a campaign paused by the cascade. */
export function campaignPausedMessage(service: string, failureReason: string | null): string {
  return `Paused: circuit breaker open for ${service}${failureReason ? ` (${failureReason})` : ''}`;
}
