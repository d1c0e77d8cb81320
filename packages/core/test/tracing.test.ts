/**
 * OpenTelemetry spans through createBreakwater, with an SDK registered as a host would: the resume and its
 * steps, the pause cascade (a trip's, and one the reconciler completed), worker jobs, and `execute` only
 * when asked for; nothing with `tracing: false`.
 */
import * as api from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  type BreakwaterOptions,
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  createBreakwater,
} from '@breakwater/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from './support/wait-for';

const exporter = new InMemorySpanExporter();

beforeAll(() => {
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});

afterAll(() => {
  api.trace.disable();
  api.context.disable();
});

beforeEach(() => exporter.reset());

function setup(options: Partial<BreakwaterOptions> = {}) {
  const campaigns = new InMemoryCampaignRepository();
  const bw = createBreakwater({
    services: ['apollo', 'openai'],
    breakerStore: new InMemoryCircuitBreakerStore(),
    queueStore: new InMemoryQueueStore(),
    campaigns,
    policy: { failureThreshold: 1 },
    reconcileIntervalMs: 0,
    tracing: { api },
    ...options,
  });
  return { bw, campaigns };
}

const named = (name: string) => exporter.getFinishedSpans().filter((span) => span.name === name);
const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;

describe('spans', () => {
  it('for resumeQueue and each of its steps, with the report’s counts', async () => {
    const { bw, campaigns } = setup();
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    await bw.breakers.trip('apollo', 'down');
    await bw.breakers.reset('apollo');
    const report = await bw.resumeQueue({ requestedBy: 'ada' });

    const [resume] = named('breakwater.resume_queue');
    expect(resume?.attributes).toEqual({
      'breakwater.resume_id': report.resumeId,
      'breakwater.requested_by': 'ada',
      'breakwater.dry_run': false,
      'breakwater.jobs_resumed': 1,
      'breakwater.campaign_jobs_resumed': 0,
      'breakwater.campaigns_eligible': 1,
      'breakwater.campaigns_resumed': 1,
      'breakwater.campaign_errors': 0,
    });
    const steps = ['check_prerequisites', 'resume_services', 'resume_campaigns', 'repause_opened'].map(
      (step) => named(`breakwater.resume_queue.${step}`)[0],
    );
    for (const step of steps) expect(parentOf(step)).toBe(resume?.spanContext().spanId);
    const services = named('breakwater.resume_queue.resume_service');
    expect(services.map((span) => [span.attributes['breakwater.service'], span.attributes['breakwater.jobs_resumed']])).toEqual([
      ['apollo', 1],
      ['openai', 0],
    ]);
    for (const span of services) expect(parentOf(span)).toBe(steps[1]?.spanContext().spanId);
    await bw.close();
  });

  it('for a blocked resume, marked failed with the refusal', async () => {
    const { bw } = setup();
    await bw.breakers.trip('openai', 'quota');
    await expect(bw.resumeQueue()).rejects.toThrow('Cannot resume queue');
    const [resume] = named('breakwater.resume_queue');
    expect(resume?.status).toEqual({
      code: api.SpanStatusCode.ERROR,
      message: 'Cannot resume queue: Circuit breakers still open for: openai (open)',
    });
    await bw.close();
  });

  it('for the pause cascade, a trip’s and one the reconciler completed', async () => {
    const { bw, campaigns } = setup();
    await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    await bw.breakers.trip('apollo', 'maintenance');
    await bw.breakerStore.recordFailure('openai', { reason: 'HTTP 503' }, bw.policy, Date.now());
    await bw.reconcile({ immediate: true });
    expect(named('breakwater.pause_cascade').map((span) => span.attributes)).toEqual([
      {
        'breakwater.service': 'apollo',
        'breakwater.pause.reason': 'Circuit breaker open for apollo: maintenance',
        'breakwater.pause.source': 'cascade',
        'breakwater.jobs_paused': 0,
        'breakwater.campaigns_paused': 1,
      },
      {
        'breakwater.service': 'openai',
        'breakwater.pause.reason': 'Circuit breaker open for openai: HTTP 503',
        'breakwater.pause.source': 'reconciler',
        'breakwater.jobs_paused': 0,
        'breakwater.campaigns_paused': 0,
      },
    ]);
    await bw.close();
  });

  it('for every worker job, inside its execute span when execute spans are asked for', async () => {
    const { bw, campaigns } = setup({ tracing: { execute: true, api } });
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    const job = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'openai' });
    const worker = bw.createWorker({
      service: 'openai',
      pollIntervalMs: 5,
      handler: async () => api.trace.getActiveSpan()?.spanContext().spanId,
    });
    await worker.start();
    await waitFor(async () => expect(await campaigns.getJob(job.id)).toMatchObject({ status: 'COMPLETED' }));
    await worker.stop();

    const [jobSpan] = named('breakwater.job');
    expect(jobSpan?.attributes).toEqual({
      'breakwater.service': 'openai',
      'breakwater.job.id': job.id,
      'breakwater.campaign.id': campaign.id,
      'breakwater.job.attempt': 1,
      'breakwater.worker.id': worker.id,
    });
    // The handler runs in the job's span, so its own calls' spans are the job's children.
    expect((await campaigns.getJob(job.id))?.result).toBe(jobSpan?.spanContext().spanId);
    const [execute] = named('breakwater.execute');
    expect(execute?.attributes).toEqual({ 'breakwater.service': 'openai' });
    expect(parentOf(jobSpan)).toBe(execute?.spanContext().spanId);
    await bw.close();
  });

  it('by default, once @opentelemetry/api has loaded in the background', async () => {
    const { bw } = setup({ tracing: { execute: true } });
    await waitFor(async () => {
      await bw.breakers.execute('apollo', async () => 'ok');
      expect(named('breakwater.execute').length).toBeGreaterThan(0);
    });
    await bw.close();
  });

  it('no execute span unless asked for; nothing at all with tracing: false', async () => {
    const traced = setup();
    expect(await traced.bw.breakers.execute('apollo', async () => 'ok')).toBe('ok');
    expect(named('breakwater.execute')).toEqual([]);
    await traced.bw.close();

    const untraced = setup({ tracing: false });
    await untraced.bw.breakers.trip('apollo', 'down');
    await untraced.bw.breakers.reset('apollo');
    await untraced.bw.resumeQueue();
    expect(exporter.getFinishedSpans()).toEqual([]);
    await untraced.bw.close();
  });
});
