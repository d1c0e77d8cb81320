import { describe, expect, it } from 'vitest';
import {
  CAMPAIGN_RESUMED_MESSAGE,
  LOG_PREREQUISITES_MET,
  LOG_RESUME_REQUESTED,
  PREREQUISITES_MET,
  RESUME_BLOCKED_HEADING,
  RESUME_BUTTON_LABEL,
  RESUME_READY_HEADING,
  RESUMING_BUTTON_LABEL,
  breakersStillOpen,
  campaignPausedMessage,
  campaignResumeError,
  campaignResumeErrorLog,
  campaignResumedLog,
  dryRunMessage,
  prerequisitesNotMetMessage,
  resumeCompletedLog,
  resumeMessage,
  resumeSucceededNotice,
  servicePausedReason,
  serviceResumedLog,
} from './messages.js';

// Every expected string below is quoted in docs/manual-resume.md: a change here is a change there.
describe('the strings an operator reads, word for word', () => {
  it('log lines of the resume', () => {
    expect(LOG_RESUME_REQUESTED).toBe('Manual queue resume requested - validating prerequisites');
    expect(LOG_PREREQUISITES_MET).toBe('Prerequisites met: All circuit breakers are closed - proceeding with queue resume');
    expect(serviceResumedLog('apollo', 15)).toBe('Queue resume: 15 jobs resumed for apollo');
    expect(campaignResumedLog('12345')).toBe('Queue resume: Campaign 12345 resumed');
    expect(resumeCompletedLog(45, 8)).toBe('Manual queue resume completed: 45 jobs, 8 campaigns resumed');
    expect(campaignResumeErrorLog('12345', 'Database constraint violation')).toBe(
      'Error resuming campaign 12345 during queue resume: Database constraint violation',
    );
  });

  it('the prerequisite error lists every blocking breaker with its state', () => {
    expect(
      prerequisitesNotMetMessage([
        { service: 'apollo', reason: 'open' },
        { service: 'perplexity', reason: 'open' },
      ]),
    ).toBe('Cannot resume queue: Circuit breakers still open for: apollo (open), perplexity (open)');
    expect(prerequisitesNotMetMessage([{ service: 'openai', reason: 'half_open' }])).toBe(
      'Cannot resume queue: Circuit breakers still open for: openai (half_open)',
    );
  });

  it('the dashboard’s resume section: headings, button labels and the success notice', () => {
    expect(RESUME_BLOCKED_HEADING).toBe('⚠️ Cannot Resume Queue');
    expect(RESUME_READY_HEADING).toBe('✅ Ready to Resume');
    expect(RESUME_BUTTON_LABEL).toBe('Resume Queue & All Campaigns');
    expect(RESUMING_BUTTON_LABEL).toBe('Resuming Queue...');
    expect(resumeSucceededNotice('Queue resumed successfully: 45 jobs and 8 campaigns resumed')).toBe(
      'Successfully resumed queue system. Queue resumed successfully: 45 jobs and 8 campaigns resumed',
    );
    expect(breakersStillOpen([{ service: 'apollo', reason: 'open' }])).toBe('Circuit breakers still open for: apollo (open)');
  });

  it('the report’s message, with the error count only when some campaign failed', () => {
    expect(resumeMessage(45, 8, 0)).toBe('Queue resumed successfully: 45 jobs and 8 campaigns resumed');
    expect(resumeMessage(45, 6, 2)).toBe('Queue resumed successfully: 45 jobs and 6 campaigns resumed (with 2 campaign errors)');
  });

  it('the report’s fields and the campaign status message', () => {
    expect(PREREQUISITES_MET).toBe('All circuit breakers closed');
    expect(campaignResumeError('12345', 'Invalid campaign state transition')).toBe('Campaign 12345: Invalid campaign state transition');
    expect(CAMPAIGN_RESUMED_MESSAGE).toBe('Campaign resumed - services are available');
  });
});

describe('Breakwater’s own strings', () => {
  it('a dry run says what would be resumed', () => {
    expect(dryRunMessage(3, 2)).toBe('Dry run: 3 jobs and 2 campaigns would be resumed');
  });

  it('pause reasons name the service, and the failure when there is one', () => {
    expect(servicePausedReason('apollo', 'HTTP 503')).toBe('Circuit breaker open for apollo: HTTP 503');
    expect(servicePausedReason('apollo', null)).toBe('Circuit breaker open for apollo');
    expect(campaignPausedMessage('apollo', 'HTTP 503')).toBe('Paused: circuit breaker open for apollo (HTTP 503)');
    expect(campaignPausedMessage('apollo', null)).toBe('Paused: circuit breaker open for apollo');
  });
});
