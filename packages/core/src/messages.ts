/**
 * Every string an operator reads, as docs/manual-resume.md quotes them (messages.test.ts holds them to it).
 * Kept apart so the orchestrator, the HTTP layer and the tests share one spelling.
 */
import type { BlockedService } from './errors.js';

export const LOG_RESUME_REQUESTED = 'Manual queue resume requested - validating prerequisites';
export const LOG_PREREQUISITES_MET = 'Prerequisites met: All circuit breakers are closed - proceeding with queue resume';
export const PREREQUISITES_MET = 'All circuit breakers closed';
export const CAMPAIGN_RESUMED_MESSAGE = 'Campaign resumed - services are available';

/** Why `transitionCampaign` / `startCampaign` refuse PAUSED → RUNNING: the manual queue resume is the only way back. */
export const PAUSED_CAMPAIGN_NEEDS_RESUME_QUEUE =
  'a PAUSED campaign resumes only through resumeQueue (Resume Queue & All Campaigns), once every circuit breaker is closed';

/** `Circuit breakers still open for: apollo (open), perplexity (open)`: what blocks a resume (the dashboard shows it too). */
export function breakersStillOpen(blocked: readonly BlockedService[]): string {
  return `Circuit breakers still open for: ${blocked.map((b) => `${b.service} (${b.reason})`).join(', ')}`;
}

/** `Cannot resume queue: Circuit breakers still open for: apollo (open), perplexity (open)` */
export function prerequisitesNotMetMessage(blocked: readonly BlockedService[]): string {
  return `Cannot resume queue: ${breakersStillOpen(blocked)}`;
}

// The dashboard's Manual Queue Resume section, worded as docs/manual-resume.md shows it to the operator.
export const RESUME_BLOCKED_HEADING = '⚠️ Cannot Resume Queue';
export const RESUME_READY_HEADING = '✅ Ready to Resume';
export const RESUME_BUTTON_LABEL = 'Resume Queue & All Campaigns';
/** The button's label while the resume call runs (it is disabled meanwhile). */
export const RESUMING_BUTTON_LABEL = 'Resuming Queue...';
/** What the operator must do while the resume is blocked (docs/manual-resume.md, before the resume). */
export const REQUIRED_ACTION_RESET = 'Required Action: Reset open circuit breakers first';
/** Whether the workers run ("After Successful Queue Resume ... Background Tasks: Active"). */
export const BACKGROUND_TASKS_ACTIVE = 'Background Tasks: Active';
export const BACKGROUND_TASKS_PAUSED = 'Background Tasks: Paused';
export const BACKGROUND_TASKS_STOPPED = 'Background Tasks: Stopped';
export const BACKGROUND_TASKS_NOT_REPORTED = 'Background Tasks: Not reported';

/** `Successfully resumed queue system. Queue resumed successfully: 45 jobs and 8 campaigns resumed` */
export function resumeSucceededNotice(reportMessage: string): string {
  return `Successfully resumed queue system. ${reportMessage}`;
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

/** The reason a breaker rebuilt open (its store lost its state while its service was paused) carries. */
export function stateLostReason(service: string, pauseReason: string | null): string {
  return (
    `Breaker state was lost by its store while ${service} was paused${pauseReason ? ` (${pauseReason})` : ''}: ` +
    `reset it once ${service} is healthy, then resume the queue`
  );
}

/** `Queue resume: 3 jobs resumed with their campaigns` (jobs the campaign step moved, apart from the per-service counts) */
export function campaignJobsResumedLog(jobsResumed: number): string {
  return `Queue resume: ${jobsResumed} jobs resumed with their campaigns`;
}
