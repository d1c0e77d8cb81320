/**
 * Pauses a fault left half-done are completed by the reconciler, with no further call: every shape a
 * cascade (or a resume) can be cut into, on the in-memory stores. The same on Redis and Postgres, with
 * real faults, is in the fault suite.
 */
import { InMemoryCampaignRepository, InMemoryCircuitBreakerStore, InMemoryQueueStore, createBreakwater } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { waitFor } from './support/wait-for';

const SERVICES = ['apollo', 'openai'];

async function setup(options: { pauseScope?: 'all' | 'affected'; reconcileIntervalMs?: number } = {}) {
  const campaigns = new InMemoryCampaignRepository();
  const bw = createBreakwater({
    services: SERVICES,
    breakerStore: new InMemoryCircuitBreakerStore(),
    queueStore: new InMemoryQueueStore(),
    campaigns,
    policy: { failureThreshold: 1, resetTimeoutMs: 60_000 },
    reconcileIntervalMs: options.reconcileIntervalMs ?? 0,
    ...(options.pauseScope ? { pauseScope: options.pauseScope } : {}),
  });
  const running = await campaigns.createCampaign({ name: 'running', status: 'RUNNING' });
  const job = await campaigns.enqueueJob({ campaignId: running.id, service: 'apollo' });
  const paused: string[] = [];
  bw.events.on('service:paused', (event) => paused.push(event.service));
  return { bw, campaigns, running, job, paused };
}

/** The breaker opened in the store, and nothing else happened: the process running the cascade died at once. */
async function openWithoutCascade(bw: Awaited<ReturnType<typeof setup>>['bw'], service: string) {
  const opened = await bw.breakerStore.recordFailure(service, { reason: 'HTTP 503' }, bw.policy, Date.now());
  expect(opened.transition).toBe('opened');
}

async function expectFullyPaused(context: Awaited<ReturnType<typeof setup>>, service = 'apollo') {
  const { bw, campaigns, running, job } = context;
  expect((await bw.queueStore.getStates([service]))[0]?.state).toBe('PAUSED');
  expect((await campaigns.readPauseState({ scope: 'all' })).map((fence) => fence.service)).toContain(service);
  expect(await campaigns.getCampaign(running.id)).toMatchObject({ status: 'PAUSED' });
  if (service === 'apollo') expect(await campaigns.getJob(job.id)).toMatchObject({ status: 'PAUSED' });
}

describe('the reconciler completes an interrupted pause', () => {
  it('breaker open, nothing else done: queue, fence, jobs and campaigns are paused', async () => {
    const context = await setup();
    await openWithoutCascade(context.bw, 'apollo');
    expect(await context.bw.reconcile({ immediate: true })).toEqual(['apollo']);
    await expectFullyPaused(context);
    expect(context.paused).toEqual(['apollo']);
    // Complete now: a second check finds nothing to do.
    expect(await context.bw.reconcile({ immediate: true })).toEqual([]);
    expect(context.paused).toEqual(['apollo']);
  });

  it('queue paused, then the repository failed: the fence goes up and the rest is paused', async () => {
    const context = await setup();
    await openWithoutCascade(context.bw, 'apollo');
    await context.bw.queueStore.pause('apollo', 'Circuit breaker open for apollo: HTTP 503');
    expect(await context.bw.reconcile({ immediate: true })).toEqual(['apollo']);
    await expectFullyPaused(context);
    expect(await context.campaigns.getJob(context.job.id)).toMatchObject({ error: 'Circuit breaker open for apollo: HTTP 503' });
  });

  it('fence up, campaigns still running (step 3 never ran): the campaigns are paused', async () => {
    const context = await setup();
    await openWithoutCascade(context.bw, 'apollo');
    await context.bw.queueStore.pause('apollo', 'down');
    await context.campaigns.pauseJobsForService('apollo', 'down');
    expect(await context.bw.reconcile({ immediate: true })).toEqual(['apollo']);
    await expectFullyPaused(context);
  });

  it('breaker reset before the cascade finished: still paused completely (only a resume brings it back)', async () => {
    const context = await setup();
    await openWithoutCascade(context.bw, 'apollo');
    await context.bw.queueStore.pause('apollo', 'down');
    await context.bw.breakers.reset('apollo');
    expect(await context.bw.reconcile({ immediate: true })).toEqual(['apollo']);
    await expectFullyPaused(context);
    expect((await context.bw.breakers.get('apollo')).state).toBe('closed');
  });

  it('fence up with the queue ACTIVE (a resume that died between its steps): the queue is paused again', async () => {
    const context = await setup();
    await context.bw.breakers.trip('apollo', 'outage');
    await context.bw.breakers.reset('apollo');
    await context.bw.queueStore.resume('apollo');
    expect(await context.bw.reconcile({ immediate: true })).toEqual(['apollo']);
    expect((await context.bw.queueStore.getStates(['apollo']))[0]).toMatchObject({ state: 'PAUSED' });
    expect((await context.bw.status()).canResume).toBe(true);
  });

  it('fence up, but the breaker store has no trace of the pause (Redis lost its last writes): the breaker is latched open too', async () => {
    let queueClock = Date.now();
    const campaigns = new InMemoryCampaignRepository();
    const queueStore = new InMemoryQueueStore({ clock: () => queueClock });
    const bw = createBreakwater({
      services: SERVICES,
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore,
      campaigns,
      reconcileIntervalMs: 0,
    });
    const running = await campaigns.createCampaign({ name: 'running', status: 'RUNNING' });
    await bw.status();
    // The cascade's writes to the breaker store were lost; only the fence (Postgres) kept the pause.
    await campaigns.pauseJobsForService('apollo', 'Circuit breaker open for apollo: HTTP 503');
    await campaigns.pauseRunningCampaigns({ reason: 'Paused' });
    queueClock -= 60_000;
    await queueStore.pause('apollo', 'an older pause');
    await queueStore.resume('apollo');

    expect(await bw.reconcile({ immediate: true })).toEqual(['apollo']);
    const apollo = await bw.breakers.get('apollo');
    expect(apollo).toMatchObject({ state: 'open', latched: true });
    expect(apollo.lastFailureReason).toMatch(/^Breaker state was lost by its store while apollo was paused/);
    expect((await queueStore.getStates(['apollo']))[0]?.state).toBe('PAUSED');
    expect((await bw.status()).canResume).toBe(false);
    expect(await campaigns.getCampaign(running.id)).toMatchObject({ status: 'PAUSED' });
  });

  it('with pauseScope affected, only campaigns with unfinished jobs on the service count', async () => {
    const context = await setup({ pauseScope: 'affected' });
    const elsewhere = await context.campaigns.createCampaign({ name: 'openai only', status: 'RUNNING' });
    await context.campaigns.enqueueJob({ campaignId: elsewhere.id, service: 'openai' });
    await context.bw.breakers.trip('apollo', 'outage');
    expect(await context.campaigns.getCampaign(elsewhere.id)).toMatchObject({ status: 'RUNNING' });
    expect(await context.bw.reconcile({ immediate: true })).toEqual([]);

    // A campaign with work on apollo running under its fence (written straight to the store, as a host's own SQL could).
    const underFence = await context.campaigns.createCampaign({ name: 'apollo, under the fence', status: 'RUNNING' });
    await context.campaigns.enqueueJob({ campaignId: underFence.id, service: 'apollo' });
    expect(await context.bw.reconcile({ immediate: true })).toEqual(['apollo']);
    expect(await context.campaigns.getCampaign(underFence.id)).toMatchObject({ status: 'PAUSED' });
    expect(await context.campaigns.getCampaign(elsewhere.id)).toMatchObject({ status: 'RUNNING' });
  });
});

describe('the reconciler leaves alone', () => {
  it('a healthy system and a complete pause: no write, no event', async () => {
    const context = await setup();
    expect(await context.bw.reconcile({ immediate: true })).toEqual([]);
    await context.bw.breakers.trip('openai', 'maintenance');
    context.paused.length = 0;
    expect(await context.bw.reconcile({ immediate: true })).toEqual([]);
    expect(context.paused).toEqual([]);
  });

  it('what only one check has seen: the timer acts on what two checks in a row find', async () => {
    const context = await setup();
    await openWithoutCascade(context.bw, 'apollo');
    expect(await context.bw.reconcile()).toEqual([]);
    expect((await context.bw.queueStore.getStates(['apollo']))[0]?.state).toBe('ACTIVE');
    expect(await context.bw.reconcile()).toEqual(['apollo']);
    await expectFullyPaused(context);
  });

  it('anything while a resume holds the lock', async () => {
    const context = await setup();
    await openWithoutCascade(context.bw, 'apollo');
    const token = await context.bw.queueStore.acquireResumeLock(30_000);
    expect(await context.bw.reconcile({ immediate: true })).toEqual([]);
    expect((await context.bw.queueStore.getStates(['apollo']))[0]?.state).toBe('ACTIVE');
    await context.bw.queueStore.releaseResumeLock(token ?? '');
    expect(await context.bw.reconcile({ immediate: true })).toEqual(['apollo']);
  });
});

describe('on its timer', () => {
  it('completes a cascade cut short with no further call, and stops on close()', async () => {
    const context = await setup({ reconcileIntervalMs: 20 });
    await openWithoutCascade(context.bw, 'apollo');
    await waitFor(() => expectFullyPaused(context), 2_000);

    await context.bw.close();
    await openWithoutCascade(context.bw, 'openai');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await context.bw.queueStore.getStates(['openai']))[0]?.state).toBe('ACTIVE');
  });
});
