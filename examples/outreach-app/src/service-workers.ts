/**
 * One Breakwater worker per service, each calling its (simulated) third-party API. The worker
 * runs every call through the service's breaker, so failures here are what trip it.
 */
import { type Breakwater, type FailureInput, type Logger, type Worker, defaultClassifyError } from '@breakwater/core';
import type { LeadPayload, ServiceName, SimulatedServices } from './simulated-services.js';

export interface ServiceWorkerOptions {
  concurrency: number;
  pollIntervalMs: number;
  /** First retry delay, ms; doubles per attempt. */
  retryBackoffMs: number;
}

/** A job whose payload is not a lead: the data's fault, so it must not count against the service. */
class MalformedPayloadError extends Error {}

const MAX_ATTEMPTS = 5;
const CALL_TIMEOUT_MS = 10_000;

function asLeadPayload(payload: unknown): LeadPayload {
  const lead = (payload as Partial<LeadPayload> | null)?.lead;
  if (typeof lead?.name !== 'string' || typeof lead.company !== 'string' || typeof lead.domain !== 'string') {
    throw new MalformedPayloadError('Job payload is not a lead ({ lead: { name, company, domain } })');
  }
  return { lead };
}

/** What a failed call means for the breaker: a 429 keeps it open for its Retry-After; bad data does not count. */
export function classifyServiceError(error: unknown): FailureInput | null {
  if (error instanceof MalformedPayloadError) return null;
  return defaultClassifyError(error);
}

/** Typed by the app's service names: each of `bw.services` has its simulated API, which the compiler checks. */
export function createServiceWorkers(
  bw: Breakwater<ServiceName>,
  services: SimulatedServices,
  options: ServiceWorkerOptions,
  logger: Logger,
): Worker<ServiceName>[] {
  return bw.services.map((service) => {
    const api = services[service];
    const worker = bw.createWorker({
      service,
      handler: (job, { signal }) => api.call(asLeadPayload(job.payload), signal),
      concurrency: options.concurrency,
      pollIntervalMs: options.pollIntervalMs,
      maxAttempts: MAX_ATTEMPTS,
      backoff: (attempt) => Math.min(options.retryBackoffMs * 2 ** (attempt - 1), 60_000),
      timeoutMs: CALL_TIMEOUT_MS,
      classifyError: classifyServiceError,
    });
    worker.events.on('job:retrying', ({ job, error, retryInMs }) =>
      logger.warn(
        { service, jobId: job.id, attempt: job.attempts },
        `Job ${job.id} on ${service} failed, retrying in ${retryInMs} ms: ${error}`,
      ),
    );
    worker.events.on('job:failed', ({ job, error }) =>
      logger.error({ service, jobId: job.id }, `Job ${job.id} on ${service} failed for good: ${error}`),
    );
    worker.events.on('job:paused', ({ job, reason }) =>
      logger.info({ service, jobId: job.id }, `Job ${job.id} on ${service} paused: ${reason}`),
    );
    worker.events.on('job:completed', ({ job }) => logger.debug({ service, jobId: job.id }, `Job ${job.id} on ${service} completed`));
    return worker;
  });
}
