/**
 * Breakwater's state as Prometheus metrics, registered in the host's prom-client Registry.
 * They are plain metric objects (name, help, type, get) rather than prom-client classes, so this
 * package never loads prom-client itself and works with whichever copy the host has.
 */
import { BREAKER_STATES, type Breakwater, CAMPAIGN_STATUSES, JOB_STATUSES, type SystemStatus } from '@breakwater/core';
import type { RequestHandler } from 'express';
import { asyncHandler } from './async-handler.js';
import type { MetricsRegistry } from './options.js';

type Labels = Record<string, string>;

interface MetricValue {
  labels: Labels;
  value: number;
}

/** The shape prom-client's Registry reads from every registered metric. */
interface CollectedMetric {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  aggregator: 'sum' | 'max' | 'first';
  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }>;
  reset(): void;
}

function metric(
  name: string,
  help: string,
  type: CollectedMetric['type'],
  aggregator: CollectedMetric['aggregator'],
  read: () => Promise<MetricValue[]> | MetricValue[],
  reset: () => void = () => {},
): CollectedMetric {
  return {
    name,
    help,
    type,
    aggregator,
    reset,
    async get() {
      return { name, help, type, aggregator, values: await read() };
    },
  };
}

/**
 * One `status()` per scrape: prom-client asks every metric at once, so they share the read
 * that is in flight, and the next scrape starts a fresh one.
 */
function sharedStatusReader(breakwater: Pick<Breakwater, 'status'>): () => Promise<SystemStatus> {
  let inFlight: Promise<SystemStatus> | null = null;
  return () => {
    inFlight ??= breakwater.status().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}

interface ResumeTotals {
  completed: number;
  blocked: number;
  jobsResumed: number;
  campaignsResumed: number;
  campaignErrors: number;
}

export function registerBreakwaterMetrics(registry: MetricsRegistry, breakwater: Pick<Breakwater, 'status' | 'events' | 'services'>): void {
  const readStatus = sharedStatusReader(breakwater);
  // Counters count what this process did (remote events are another process's to count), so summing
  // over processes stays right. Shared state (breakers, queues, counts) is the same everywhere: 'first'.
  const totals: ResumeTotals = { completed: 0, blocked: 0, jobsResumed: 0, campaignsResumed: 0, campaignErrors: 0 };
  const resetTotals = () => Object.assign(totals, { completed: 0, blocked: 0, jobsResumed: 0, campaignsResumed: 0, campaignErrors: 0 });
  breakwater.events.on('resume:completed', ({ report, remote }) => {
    if (remote || report.dryRun) return;
    totals.completed += 1;
    totals.jobsResumed += report.jobsResumed;
    totals.campaignsResumed += report.campaignsResumed;
    totals.campaignErrors += report.campaignResumeErrors.length;
  });
  // Previews (dry runs) are checked against the same prerequisites and announce `resume:blocked` too: only a real resume counts.
  breakwater.events.on('resume:blocked', ({ dryRun }) => {
    if (!dryRun) totals.blocked += 1;
  });

  const history = historyCounters(breakwater);

  const metrics: CollectedMetric[] = [
    metric(
      'breakwater_circuit_breaker_state',
      'Circuit breaker state per service: 1 for the current state, 0 otherwise.',
      'gauge',
      'first',
      async () =>
        (await readStatus()).breakers.flatMap((record) =>
          BREAKER_STATES.map((state) => ({ labels: { service: record.service, state }, value: record.state === state ? 1 : 0 })),
        ),
    ),
    metric(
      'breakwater_circuit_breaker_failures',
      'Failures counted by the circuit breaker since it last closed.',
      'gauge',
      'first',
      async () => (await readStatus()).breakers.map((record) => ({ labels: { service: record.service }, value: record.failureCount })),
    ),
    metric('breakwater_circuit_breaker_trips', 'Times the circuit breaker has opened.', 'gauge', 'first', async () =>
      (await readStatus()).breakers.map((record) => ({ labels: { service: record.service }, value: record.tripCount })),
    ),
    metric('breakwater_queue_paused', 'Whether the service queue is paused (1) or active (0).', 'gauge', 'first', async () =>
      (await readStatus()).queues.map((queue) => ({ labels: { service: queue.service }, value: queue.state === 'PAUSED' ? 1 : 0 })),
    ),
    metric('breakwater_campaigns', 'Campaigns by status.', 'gauge', 'first', async () => {
      const counts = (await readStatus()).campaigns;
      return CAMPAIGN_STATUSES.map((status) => ({ labels: { status }, value: counts[status] }));
    }),
    metric('breakwater_jobs', 'Jobs by status.', 'gauge', 'first', async () => {
      const counts = (await readStatus()).jobs;
      return JOB_STATUSES.map((status) => ({ labels: { status }, value: counts[status] }));
    }),
    metric('breakwater_resume_in_progress', 'Whether a queue resume holds the resume lock now.', 'gauge', 'first', async () => [
      { labels: {}, value: (await readStatus()).resumeInProgress ? 1 : 0 },
    ]),
    metric(
      'breakwater_queue_resumes_total',
      'Queue resumes run by this process, by outcome.',
      'counter',
      'sum',
      () => [
        { labels: { outcome: 'completed' }, value: totals.completed },
        { labels: { outcome: 'blocked' }, value: totals.blocked },
      ],
      resetTotals,
    ),
    metric(
      'breakwater_resumed_jobs_total',
      'Jobs resumed by queue resumes run by this process.',
      'counter',
      'sum',
      () => [{ labels: {}, value: totals.jobsResumed }],
      resetTotals,
    ),
    metric(
      'breakwater_resumed_campaigns_total',
      'Campaigns resumed by queue resumes run by this process.',
      'counter',
      'sum',
      () => [{ labels: {}, value: totals.campaignsResumed }],
      resetTotals,
    ),
    metric(
      'breakwater_campaign_resume_errors_total',
      'Campaigns that failed to resume during queue resumes run by this process.',
      'counter',
      'sum',
      () => [{ labels: {}, value: totals.campaignErrors }],
      resetTotals,
    ),
    ...history,
  ];
  for (const collected of metrics) registry.registerMetric(collected);
}

/** Counts per service of what the history records, by this process (each process counts what it did). */
class CountsPerService {
  readonly #counts = new Map<string, number>();

  add(service: string, by = 1): void {
    this.#counts.set(service, (this.#counts.get(service) ?? 0) + by);
  }

  values(services: readonly string[]): MetricValue[] {
    return services.map((service) => ({ labels: { service }, value: this.#counts.get(service) ?? 0 }));
  }

  reset(): void {
    this.#counts.clear();
  }
}

/**
 * The history's events as counters per service: breakers tripped (every transition into open, by failures or
 * by an operator), service queues resumed, and real resumes a service's breaker blocked; and history entries
 * the history store failed to keep.
 */
function historyCounters(breakwater: Pick<Breakwater, 'events' | 'services'>): CollectedMetric[] {
  const trips = new CountsPerService();
  const resumes = new CountsPerService();
  const blocked = new CountsPerService();
  let historyFailures = 0;
  breakwater.events.on('breaker:opened', ({ service, remote }) => {
    if (!remote) trips.add(service);
  });
  breakwater.events.on('service:resumed', ({ service, remote }) => {
    if (!remote) resumes.add(service);
  });
  breakwater.events.on('resume:blocked', ({ blocked: services, dryRun }) => {
    if (!dryRun) for (const { service } of services) blocked.add(service);
  });
  breakwater.events.on('store:error', ({ during }) => {
    if (during === 'history') historyFailures += 1;
  });
  const services = breakwater.services;
  return [
    metric(
      'breakwater_breaker_trips_total',
      'Transitions into open (by failures, failed probes or trips) made by this process, per service.',
      'counter',
      'sum',
      () => trips.values(services),
      () => trips.reset(),
    ),
    metric(
      'breakwater_service_resumes_total',
      'Service queues resumed by queue resumes run by this process, per service.',
      'counter',
      'sum',
      () => resumes.values(services),
      () => resumes.reset(),
    ),
    metric(
      'breakwater_resumes_blocked_total',
      'Queue resumes run by this process that the service’s breaker blocked (not closed), per service.',
      'counter',
      'sum',
      () => blocked.values(services),
      () => blocked.reset(),
    ),
    metric(
      'breakwater_history_write_failures_total',
      'Times this process could not write to the history store (the operations themselves went on).',
      'counter',
      'sum',
      () => [{ labels: {}, value: historyFailures }],
      () => {
        historyFailures = 0;
      },
    ),
  ];
}

/** `GET /metrics`: the whole registry (the host's own metrics too), in the registry's content type. */
export function serveMetrics(registry: MetricsRegistry): RequestHandler {
  return asyncHandler(async (_req, res) => {
    const body = await registry.metrics();
    // Set verbatim and ended directly: Express 4's res.set/res.send would reorder the media type's parameters.
    res.statusCode = 200;
    res.setHeader('Content-Type', registry.contentType);
    res.end(body);
  });
}
