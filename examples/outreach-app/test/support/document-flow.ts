/**
 * The manual resume flow (docs/manual-resume.md) over the app's real HTTP API, whatever the stores: a
 * service fails and its breaker trips, campaigns pause, the resume is refused with the blocked-resume
 * detail, resets resume nothing, the resume answers the report's fields, and the workers finish every job.
 */
import type { WireHistoryEntry, WireReport, WireStatus } from '@breakwater/express-plugin';
import { expect } from 'vitest';
import type { OutreachApp } from '../../src/app.js';
import { waitUntil } from '../../src/wait-until.js';
import type { Envelope, HttpClient } from './http-client.js';

export const CAMPAIGNS = 3;
export const LEADS_PER_CAMPAIGN = 3;
export const SERVICES = ['apollo', 'perplexity', 'openai', 'instantly', 'millionverifier'];
export const TOTAL_JOBS = CAMPAIGNS * LEADS_PER_CAMPAIGN * SERVICES.length;

const QUEUE = '/api/v1/queue-management';
const DEMO = '/api/v1/demo';

export interface DocumentFlowOptions {
  /**
   * Looks at the stores right after the resume, before any job runs again: the workers are
   * stopped for the resume and started again after this returns.
   */
  afterResume?: (report: WireReport) => Promise<void>;
}

async function status(api: HttpClient): Promise<WireStatus> {
  const response = await api.get<Envelope<WireStatus>>(`${QUEUE}/status`);
  expect(response.status).toBe(200);
  return response.body.data;
}

const breakerState = (s: WireStatus, service: string) => s.breakers.find((b) => b.service === service)?.state;
const queueState = (s: WireStatus, service: string) => s.queues.find((q) => q.service === service)?.state;

export async function runDocumentFlow(outreach: OutreachApp, api: HttpClient, options: DocumentFlowOptions = {}): Promise<void> {
  // Apollo answers 503 from the start, so its breaker trips while the campaigns run.
  const failing = await api.post(`${DEMO}/services/apollo/mode`, { mode: 'failing' });
  expect(failing.status).toBe(200);
  expect(failing.body.data).toMatchObject({ service: 'apollo', mode: 'failing' });

  for (let i = 0; i < CAMPAIGNS; i += 1) {
    const launched = await api.post(`${DEMO}/campaigns`, { name: `Wave ${i + 1}`, leads: LEADS_PER_CAMPAIGN });
    expect(launched.status).toBe(201);
    expect(launched.body.data).toMatchObject({ jobs: LEADS_PER_CAMPAIGN * SERVICES.length });
    // Launched after the trip's cascade, a campaign pauses itself rather than run with apollo down.
    expect(['RUNNING', 'PAUSED']).toContain((launched.body.data as { campaign: { status: string } }).campaign.status);
  }

  // The breaker trips and the cascade pauses the queue, apollo's jobs and every running campaign.
  await waitUntil(async () => {
    const s = await status(api);
    return breakerState(s, 'apollo') === 'open' && s.campaigns.PAUSED === CAMPAIGNS && s.jobs.PROCESSING === 0;
  }, 'the apollo breaker to trip and every campaign to pause');
  const tripped = await status(api);
  expect(tripped.campaigns.RUNNING).toBe(0);
  expect(queueState(tripped, 'apollo')).toBe('PAUSED');
  expect(tripped.queues.find((q) => q.service === 'apollo')?.reason).toBe(
    'Circuit breaker open for apollo: HTTP 503 from Apollo: Service Unavailable',
  );
  expect(tripped.breakers.find((b) => b.service === 'apollo')?.last_failure_reason).toBe('HTTP 503 from Apollo: Service Unavailable');
  expect(tripped.jobs.FAILED).toBe(0);
  expect(tripped.can_resume).toBe(false);

  // An operator takes perplexity down for maintenance too: two open breakers, as in the docs' example.
  const trip = await api.post(
    `${QUEUE}/circuit-breakers/perplexity/trip`,
    { reason: 'Perplexity maintenance window' },
    { 'X-Operator': 'operator@example.com' },
  );
  expect(trip.status).toBe(200);
  expect(trip.body.data).toMatchObject({ service: 'perplexity', state: 'open' });

  const refused = await api.post(`${QUEUE}/resume-queue`);
  expect(refused.status).toBe(400);
  expect(refused.body).toEqual({
    status: 'error',
    detail: 'Cannot resume queue: Circuit breakers still open for: apollo (open), perplexity (open)',
  });
  const afterRefusal = await status(api);
  expect(afterRefusal.campaigns).toEqual(tripped.campaigns);
  expect(afterRefusal.jobs.PAUSED).toBeGreaterThanOrEqual(tripped.jobs.PAUSED);

  // Apollo recovers; resetting both breakers closes them and resumes nothing.
  expect((await api.post(`${DEMO}/services/apollo/mode`, { mode: 'healthy' })).status).toBe(200);
  for (const service of ['apollo', 'perplexity']) {
    const reset = await api.post(`${QUEUE}/circuit-breakers/${service}/reset`);
    expect(reset.status).toBe(200);
    expect(reset.body.data).toMatchObject({ service, state: 'closed', failure_count: 0 });
  }
  const beforeResume = await status(api);
  expect(beforeResume.breakers.map((b) => b.state)).toEqual(SERVICES.map(() => 'closed'));
  expect(beforeResume.campaigns).toMatchObject({ PAUSED: CAMPAIGNS, RUNNING: 0 });
  expect(queueState(beforeResume, 'apollo')).toBe('PAUSED');
  expect(queueState(beforeResume, 'perplexity')).toBe('PAUSED');
  expect(beforeResume.can_resume).toBe(true);
  const pausedJobs = beforeResume.jobs.PAUSED;
  expect(pausedJobs).toBeGreaterThan(0);

  if (options.afterResume) await Promise.all(outreach.workers.map((worker) => worker.stop()));
  const resumed = await api.post<Envelope<WireReport>>(`${QUEUE}/resume-queue`, {}, { 'X-Operator': 'operator@example.com' });
  expect(resumed.status).toBe(200);
  expect(resumed.body.status).toBe('success');
  expect(resumed.body.data).toMatchObject({
    queue_resumed: true,
    jobs_resumed: pausedJobs,
    campaigns_eligible: CAMPAIGNS,
    campaigns_resumed: CAMPAIGNS,
    services_resumed: SERVICES,
    prerequisites_met: 'All circuit breakers closed',
    message: `Queue resumed successfully: ${pausedJobs} jobs and ${CAMPAIGNS} campaigns resumed`,
    requested_by: 'operator@example.com',
    dry_run: false,
  });
  expect(resumed.body.data).not.toHaveProperty('campaign_resume_errors');
  if (options.afterResume) {
    await options.afterResume(resumed.body.data);
    await Promise.all(outreach.workers.map((worker) => worker.start()));
  }

  // The workers pick the resumed jobs up; every job and campaign completes, none lost or failed.
  await waitUntil(async () => {
    const s = await status(api);
    return s.jobs.COMPLETED === TOTAL_JOBS && s.campaigns.COMPLETED === CAMPAIGNS;
  }, 'every job and campaign to complete');
  const finished = await status(api);
  expect(finished.jobs).toEqual({ PENDING: 0, PROCESSING: 0, PAUSED: 0, COMPLETED: TOTAL_JOBS, FAILED: 0 });
  expect(finished.queues.map((q) => q.state)).toEqual(SERVICES.map(() => 'ACTIVE'));
  expect(finished.last_report).toMatchObject({
    jobs_resumed: pausedJobs,
    campaigns_resumed: CAMPAIGNS,
    requested_by: 'operator@example.com',
  });
  const jobs = await outreach.bw.campaigns.listJobs();
  expect(jobs).toHaveLength(TOTAL_JOBS);
  expect(jobs.every((job) => job.status === 'COMPLETED' && job.error === null && job.result !== null)).toBe(true);

  // The workers are live, every service's background tasks active; and what happened stays in the history.
  expect(finished.background_tasks?.map((tasks) => [tasks.service, tasks.state])).toEqual(SERVICES.map((service) => [service, 'active']));
  expect(finished.workers?.map((worker) => worker.service).sort()).toEqual([...SERVICES].sort());
  await expectHistoryTellsTheStory(api, resumed.body.data);
}

/** The flow's story in the history, oldest first, with who and why (probes may add half-open spells between). */
async function expectHistoryTellsTheStory(api: HttpClient, report: WireReport): Promise<void> {
  const response = await api.get<Envelope<{ entries: WireHistoryEntry[] }>>(`${QUEUE}/history?limit=500`);
  expect(response.status).toBe(200);
  const told = response.body.data.entries.reverse().map((entry) => [entry.kind, entry.service, entry.actor, entry.reason]);
  const expected = [
    ['breaker:opened', 'apollo', null, 'HTTP 503 from Apollo: Service Unavailable'],
    ['service:paused', 'apollo', null, 'Circuit breaker open for apollo: HTTP 503 from Apollo: Service Unavailable'],
    ['breaker:tripped', 'perplexity', 'operator@example.com', 'Perplexity maintenance window'],
    ['resume:blocked', null, null, 'Cannot resume queue: Circuit breakers still open for: apollo (open), perplexity (open)'],
    ['breaker:reset', 'apollo', null, null],
    ['breaker:reset', 'perplexity', null, null],
    ['resume:completed', null, 'operator@example.com', report.message],
  ];
  let from = 0;
  for (const line of expected) {
    const at = told.findIndex((entry, index) => index >= from && JSON.stringify(entry) === JSON.stringify(line));
    expect(at, `${JSON.stringify(line)} in order in ${JSON.stringify(told)}`).toBeGreaterThanOrEqual(0);
    from = at + 1;
  }
  const completed = response.body.data.entries.find((entry) => entry.kind === 'resume:completed');
  expect(completed?.details).toMatchObject({ jobs_resumed: report.jobs_resumed, campaigns_resumed: CAMPAIGNS });
}
