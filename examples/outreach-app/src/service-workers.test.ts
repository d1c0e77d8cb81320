import {
  type Breakwater,
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  type Worker,
  createBreakwater,
} from '@breakwater/core';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleLogger } from './console-logger.js';
import { classifyServiceError, createServiceWorkers } from './service-workers.js';
import { SERVICE_NAMES, type ServiceName, ThirdPartyHttpError, createSimulatedServices } from './simulated-services.js';
import { waitUntil } from './wait-until.js';

const lead = { lead: { name: 'Ada Whitfield', company: 'Northwind Freight', domain: 'northwind.example' } };

describe('classifyServiceError', () => {
  it('counts a 503 with its message, and keeps a 429 open for its Retry-After', () => {
    expect(classifyServiceError(new ThirdPartyHttpError('Apollo', 503, 'Service Unavailable'))).toEqual({
      reason: 'HTTP 503 from Apollo: Service Unavailable',
      retryAfterMs: undefined,
    });
    expect(classifyServiceError(new ThirdPartyHttpError('Apollo', 429, 'Too Many Requests', 30_000))).toEqual({
      reason: 'HTTP 429 from Apollo: Too Many Requests (Retry-After: 30s)',
      retryAfterMs: 30_000,
    });
    expect(classifyServiceError(new Error('socket hang up'))).toEqual({ reason: 'socket hang up' });
  });
});

describe('the service workers', () => {
  let bw: Breakwater<ServiceName>;
  let workers: Worker[] = [];
  const services = createSimulatedServices({ latencyMs: { min: 0, max: 2 }, retryAfterMs: 120_000 });

  async function start(): Promise<void> {
    bw = createBreakwater({
      services: SERVICE_NAMES,
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      campaigns: new InMemoryCampaignRepository(),
      policy: { failureThreshold: 3, resetTimeoutMs: 1000 },
    });
    workers = createServiceWorkers(
      bw,
      services,
      { concurrency: 3, pollIntervalMs: 10, retryBackoffMs: 1 },
      consoleLogger({ level: 'silent' }),
    );
    await Promise.all(workers.map((worker) => worker.start()));
  }

  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    for (const service of Object.values(services)) service.setMode('healthy');
  });

  it('trip a rate-limited service and hold its breaker open for the Retry-After, past the reset timeout', async () => {
    services.perplexity.setMode('rate-limited');
    await start();
    const campaign = await bw.campaigns.createCampaign({ name: 'Wave', status: 'RUNNING' });
    for (let i = 0; i < 6; i += 1) await bw.campaigns.enqueueJob({ campaignId: campaign.id, service: 'perplexity', payload: lead });
    await waitUntil(async () => (await bw.breakers.get('perplexity')).state === 'open', 'the perplexity breaker to open');
    const breaker = await bw.breakers.get('perplexity');
    expect(breaker.lastFailureReason).toBe('HTTP 429 from Perplexity: Too Many Requests (Retry-After: 120s)');
    // In-flight 429s that land after the trip may push it a few ms further; never sooner than the Retry-After.
    expect((breaker.nextAttemptAt ?? 0) - (breaker.openedAt ?? 0)).toBeGreaterThanOrEqual(120_000);
    expect((breaker.nextAttemptAt ?? 0) - (breaker.openedAt ?? 0)).toBeLessThan(121_000);
  });

  it('do not count a malformed job against the service: it fails on its own', async () => {
    await start();
    const campaign = await bw.campaigns.createCampaign({ name: 'Wave', status: 'RUNNING' });
    const job = await bw.campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo', payload: { not: 'a lead' } });
    await waitUntil(async () => (await bw.campaigns.getJob(job.id))?.status === 'FAILED', 'the malformed job to fail');
    expect(await bw.campaigns.getJob(job.id)).toMatchObject({
      attempts: 5,
      error: 'Job payload is not a lead ({ lead: { name, company, domain } })',
    });
    expect(await bw.breakers.get('apollo')).toMatchObject({ state: 'closed', failureCount: 0 });
  });

  it('store what the service answered on the completed job', async () => {
    await start();
    const campaign = await bw.campaigns.createCampaign({ name: 'Wave', status: 'RUNNING' });
    const job = await bw.campaigns.enqueueJob({ campaignId: campaign.id, service: 'millionverifier', payload: lead });
    await waitUntil(async () => (await bw.campaigns.getJob(job.id))?.status === 'COMPLETED', 'the job to complete');
    expect((await bw.campaigns.getJob(job.id))?.result).toEqual({
      email: 'ada.whitfield@northwind.example',
      result: 'ok',
      quality: 'good',
    });
  });
});
