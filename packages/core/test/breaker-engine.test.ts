/** The breaker engine through createBreakwater: execute, 429s, trips, resets, events and the cascade. */
import {
  CallTimeoutError,
  CircuitOpenError,
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  InvalidOptionsError,
  UnknownServiceError,
  createBreakwater,
} from '@breakwater/core';
import type { BreakwaterEventName } from '@breakwater/core';
import { describe, expect, it } from 'vitest';

function setup(overrides: { pauseScope?: 'all' | 'affected'; successThreshold?: number } = {}) {
  let now = 1_700_000_000_000;
  const campaigns = new InMemoryCampaignRepository({ clock: () => now });
  const bw = createBreakwater({
    services: ['apollo', 'openai'],
    breakerStore: new InMemoryCircuitBreakerStore(),
    queueStore: new InMemoryQueueStore({ clock: () => now }),
    campaigns,
    policy: { failureThreshold: 2, resetTimeoutMs: 10_000, successThreshold: overrides.successThreshold ?? 1 },
    ...(overrides.pauseScope ? { pauseScope: overrides.pauseScope } : {}),
    clock: () => now,
  });
  const seen: string[] = [];
  for (const name of [
    'breaker:opened',
    'breaker:half-open',
    'breaker:closed',
    'breaker:reset',
    'service:paused',
  ] as BreakwaterEventName[]) {
    bw.events.on(name, () => seen.push(name));
  }
  return { bw, campaigns, seen, advance: (ms: number) => (now += ms) };
}

const failing =
  (message: string, extra: Record<string, unknown> = {}) =>
  async () => {
    throw Object.assign(new Error(message), extra);
  };

describe('execute', () => {
  it('passes results through, counts failures, and refuses calls once open', async () => {
    const { bw } = setup();
    await expect(bw.breakers.execute('apollo', async () => 'lead')).resolves.toBe('lead');
    await expect(bw.breakers.execute('apollo', failing('HTTP 502'))).rejects.toThrow('HTTP 502');
    expect(await bw.breakers.get('apollo')).toMatchObject({ state: 'closed', failureCount: 1 });
    await expect(bw.breakers.execute('apollo', failing('HTTP 503'))).rejects.toThrow('HTTP 503');
    expect(await bw.breakers.get('apollo')).toMatchObject({ state: 'open', lastFailureReason: 'HTTP 503', tripCount: 1 });
    const refused = await bw.breakers.execute('apollo', async () => 'never').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(refused).toMatchObject({ name: 'CircuitOpenError', service: 'apollo', reason: 'open' });
  });

  it('aborts a call that runs past its timeout and counts it as a failure', async () => {
    const { bw } = setup();
    let aborted = false;
    const call = bw.breakers.execute(
      'apollo',
      (signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => (aborted = true));
          setTimeout(resolve, 1_000);
        }),
      { timeoutMs: 20 },
    );
    await expect(call).rejects.toBeInstanceOf(CallTimeoutError);
    expect(aborted).toBe(true);
    expect((await bw.breakers.get('apollo')).failureCount).toBe(1);
  });

  it('holds the breaker open for a 429 Retry-After longer than the reset timeout', async () => {
    const { bw, advance } = setup();
    await bw.breakers.recordFailure('apollo', { reason: 'HTTP 500' });
    await expect(bw.breakers.execute('apollo', failing('HTTP 429', { retryAfterMs: 45_000 }))).rejects.toThrow('HTTP 429');
    advance(10_000);
    expect(await bw.breakers.shouldAllowRequest('apollo')).toEqual({ allowed: false, reason: 'open' });
    advance(35_000);
    expect(await bw.breakers.shouldAllowRequest('apollo')).toEqual({ allowed: true, reason: null });
  });

  it('lets a classifier decide what counts', async () => {
    const { bw } = setup();
    const notTheServicesFault = { classifyError: () => null };
    await expect(bw.breakers.execute('apollo', failing('bad input'), notTheServicesFault)).rejects.toThrow('bad input');
    expect((await bw.breakers.get('apollo')).failureCount).toBe(0);
  });

  it('rejects unknown services by name', async () => {
    const { bw } = setup();
    // A name the compiler already refuses, as a JavaScript caller or a name read at run time could pass it.
    // @ts-expect-error not a configured service
    await expect(bw.breakers.recordFailure('hubspot')).rejects.toBeInstanceOf(UnknownServiceError);
    // @ts-expect-error not a configured service
    await expect(bw.breakers.reset('hubspot')).rejects.toThrow('Unknown service: hubspot');
  });
});

describe('recovery without a resume', () => {
  it('half-opens after the timeout, closes on a good probe, and still resumes nothing', async () => {
    const { bw, campaigns, seen, advance } = setup();
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    await bw.breakers.recordFailure('apollo', { reason: 'down' });
    await bw.breakers.recordFailure('apollo', { reason: 'down' });
    expect(seen).toEqual(['breaker:opened', 'service:paused']);
    advance(10_000);
    await expect(bw.breakers.execute('apollo', async () => 'ok')).resolves.toBe('ok');
    expect(seen).toEqual(['breaker:opened', 'service:paused', 'breaker:half-open', 'breaker:closed']);
    expect(await bw.breakers.get('apollo')).toMatchObject({ state: 'closed', failureCount: 0 });
    // Closed, but the queue, the job and the campaign wait for resumeQueue.
    expect(await bw.breakers.shouldAllowRequest('apollo')).toEqual({ allowed: false, reason: 'queue_paused' });
    expect(await campaigns.getCampaign(campaign.id)).toMatchObject({ status: 'PAUSED' });
    expect(await campaigns.countJobsByStatus()).toMatchObject({ PAUSED: 1 });
  });

  it('gives out only one probe at a time while half-open', async () => {
    const { bw, advance } = setup({ successThreshold: 2 });
    await bw.breakers.trip('apollo', 'maintenance');
    await bw.breakers.reset('apollo');
    await bw.breakers.recordFailure('apollo');
    await bw.breakers.recordFailure('apollo');
    advance(10_000);
    const decisions = await Promise.all([bw.breakers.shouldAllowRequest('apollo'), bw.breakers.shouldAllowRequest('apollo')]);
    expect(decisions.filter((d) => d.allowed)).toHaveLength(1);
    expect(decisions.find((d) => !d.allowed)?.reason).toBe('half_open');
  });
});

describe('trip and reset', () => {
  it('trip latches the breaker open and runs the cascade; reset closes it and resumes nothing', async () => {
    const { bw, campaigns, seen, advance } = setup();
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    const job = await campaigns.enqueueJob({ campaignId: campaign.id, service: 'openai' });
    const record = await bw.breakers.trip('openai', 'Planned maintenance');
    expect(record).toMatchObject({ state: 'open', latched: true, lastFailureReason: 'Planned maintenance' });
    expect(await campaigns.getCampaign(campaign.id)).toMatchObject({
      status: 'PAUSED',
      statusMessage: 'Paused: circuit breaker open for openai (Planned maintenance)',
    });
    expect(await campaigns.getJob(job.id)).toMatchObject({
      status: 'PAUSED',
      error: 'Circuit breaker open for openai: Planned maintenance',
    });
    expect((await bw.queueStore.getStates(['openai']))[0]).toMatchObject({
      state: 'PAUSED',
      reason: 'Circuit breaker open for openai: Planned maintenance',
    });
    advance(3_600_000);
    expect(await bw.breakers.shouldAllowRequest('openai')).toEqual({ allowed: false, reason: 'open' });

    const reset = await bw.breakers.reset('openai');
    expect(reset).toMatchObject({ state: 'closed', failureCount: 0, latched: false, tripCount: 1 });
    expect(seen).toEqual(['breaker:opened', 'service:paused', 'breaker:reset']);
    expect(await campaigns.getCampaign(campaign.id)).toMatchObject({ status: 'PAUSED' });
  });

  it("pauseScope 'affected' pauses only campaigns with work on the service", async () => {
    const { bw, campaigns } = setup({ pauseScope: 'affected' });
    const onApollo = await campaigns.createCampaign({ name: 'a', status: 'RUNNING' });
    const onOpenai = await campaigns.createCampaign({ name: 'b', status: 'RUNNING' });
    await campaigns.enqueueJob({ campaignId: onApollo.id, service: 'apollo' });
    await campaigns.enqueueJob({ campaignId: onOpenai.id, service: 'openai' });
    await bw.breakers.trip('apollo', 'down');
    expect(await campaigns.getCampaign(onApollo.id)).toMatchObject({ status: 'PAUSED' });
    expect(await campaigns.getCampaign(onOpenai.id)).toMatchObject({ status: 'RUNNING' });
  });
});

describe('status', () => {
  it('says what blocks a resume and what the counts are', async () => {
    const { bw, campaigns } = setup();
    await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    await bw.breakers.trip('apollo', 'down');
    const status = await bw.status();
    expect(status).toMatchObject({
      canResume: false,
      blockedBy: [{ service: 'apollo', reason: 'open' }],
      resumeInProgress: false,
      lastReport: null,
    });
    expect(status.breakers.map((b) => b.service)).toEqual(['apollo', 'openai']);
    expect(status.queues.map((q) => q.state)).toEqual(['PAUSED', 'ACTIVE']);
    expect(status.campaigns).toEqual({ DRAFT: 0, RUNNING: 0, PAUSED: 1, COMPLETED: 0, FAILED: 0, CANCELLED: 0 });
    await bw.breakers.reset('apollo');
    expect((await bw.status()).canResume).toBe(true);
  });
});

describe('startCampaign', () => {
  it('starts a campaign while every queue is active', async () => {
    const { bw, campaigns } = setup();
    const campaign = await campaigns.createCampaign({ name: 'c' });
    expect(await bw.startCampaign(campaign.id, 'Campaign started')).toMatchObject({ status: 'RUNNING', statusMessage: 'Campaign started' });
  });

  it('pauses a campaign started after a trip, which only resumeQueue brings back', async () => {
    const { bw, campaigns } = setup();
    await bw.breakers.trip('apollo', 'down');
    const campaign = await campaigns.createCampaign({ name: 'late' });
    expect(await bw.startCampaign(campaign.id)).toMatchObject({
      status: 'PAUSED',
      statusMessage: 'Paused: circuit breaker open for apollo',
    });
    await bw.breakers.reset('apollo');
    await bw.resumeQueue();
    expect(await campaigns.getCampaign(campaign.id)).toMatchObject({ status: 'RUNNING' });
  });

  it("with pauseScope 'affected', pauses only a campaign with work on the paused service", async () => {
    const { bw, campaigns } = setup({ pauseScope: 'affected' });
    await bw.breakers.trip('apollo', 'down');
    const onOpenai = await campaigns.createCampaign({ name: 'b' });
    await campaigns.enqueueJob({ campaignId: onOpenai.id, service: 'openai' });
    const onApollo = await campaigns.createCampaign({ name: 'a' });
    await campaigns.enqueueJob({ campaignId: onApollo.id, service: 'apollo' });
    expect((await bw.startCampaign(onOpenai.id)).status).toBe('RUNNING');
    expect((await bw.startCampaign(onApollo.id)).status).toBe('PAUSED');
  });

  it('a late start never runs: PAUSED in one step, so no worker of another service claims its jobs', async () => {
    const { bw, campaigns } = setup();
    await bw.breakers.trip('apollo', 'down');
    const late = await campaigns.createCampaign({ name: 'late' });
    const openaiJob = await campaigns.enqueueJob({ campaignId: late.id, service: 'openai' });
    await campaigns.enqueueJob({ campaignId: late.id, service: 'apollo' });
    const ran: string[] = [];
    const worker = bw.createWorker({ service: 'openai', pollIntervalMs: 1, handler: async (job) => void ran.push(job.id) });
    await worker.start();
    try {
      expect(await bw.startCampaign(late.id, 'Campaign started')).toMatchObject({ status: 'PAUSED' });
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(ran).toEqual([]);
      expect(await campaigns.getJob(openaiJob.id)).toMatchObject({ status: 'PENDING', attempts: 0 });
    } finally {
      await worker.stop();
    }
  });

  it('refuses to start a PAUSED campaign, as transitionCampaign refuses to run it: resumeQueue is the way', async () => {
    const { bw, campaigns } = setup();
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    await bw.breakers.trip('apollo', 'down');
    const resumeQueueNamed = { code: 'INVALID_TRANSITION', from: 'PAUSED', to: 'RUNNING', message: expect.stringContaining('resumeQueue') };
    await expect(bw.startCampaign(campaign.id)).rejects.toMatchObject(resumeQueueNamed);
    await expect(bw.campaigns.transitionCampaign(campaign.id, 'RUNNING')).rejects.toMatchObject(resumeQueueNamed);
    await bw.breakers.reset('apollo');
    await expect(bw.campaigns.transitionCampaign(campaign.id, 'RUNNING')).rejects.toMatchObject(resumeQueueNamed);
    expect(await bw.resumeQueue()).toMatchObject({ campaignsResumed: 1 });
    expect(await campaigns.getCampaign(campaign.id)).toMatchObject({ status: 'RUNNING' });
  });

  it('never leaves a campaign running when a trip races the start', async () => {
    for (let round = 0; round < 30; round += 1) {
      const { bw, campaigns } = setup();
      const campaign = await campaigns.createCampaign({ name: 'racing' });
      await Promise.all([
        bw.startCampaign(campaign.id),
        new Promise((resolve) => setTimeout(resolve, round % 3)).then(() => bw.breakers.trip('openai', 'down')),
      ]);
      expect((await campaigns.getCampaign(campaign.id))?.status).toBe('PAUSED');
    }
  });
});

describe('a store failure never replaces the caller’s outcome', () => {
  function withFailing<T extends object>(target: T, failing: Set<string>): T {
    return new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          failing.has(String(property))
            ? Promise.reject(new Error('Connection terminated unexpectedly'))
            : (value as (...a: unknown[]) => unknown).apply(object, args);
      },
    });
  }

  it('the call that opens the breaker gets its own error when the cascade fails; the reconciler completes the cascade', async () => {
    const failing = new Set<string>();
    const campaigns = new InMemoryCampaignRepository();
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      campaigns: withFailing(campaigns, failing),
      policy: { failureThreshold: 1 },
      reconcileIntervalMs: 0,
    });
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    const storeErrors: { during: string; service: string | null; error: unknown }[] = [];
    bw.events.on('store:error', (event) => storeErrors.push(event));

    failing.add('pauseJobsForService');
    const own = Object.assign(new Error('HTTP 503'), { status: 503 });
    await expect(bw.breakers.execute('apollo', () => Promise.reject(own))).rejects.toBe(own);
    expect(storeErrors).toMatchObject([{ during: 'execute:recordFailure', service: 'apollo' }]);
    expect(String((storeErrors[0]?.error as Error).message)).toBe(
      'CampaignRepository.pauseJobsForService failed: Connection terminated unexpectedly',
    );
    expect((await bw.breakers.get('apollo')).state).toBe('open');
    expect(await campaigns.getCampaign(campaign.id)).toMatchObject({ status: 'RUNNING' });

    failing.clear();
    expect(await bw.reconcile({ immediate: true })).toEqual(['apollo']);
    expect(await campaigns.getCampaign(campaign.id)).toMatchObject({ status: 'PAUSED' });
  });

  it('a call that succeeded returns its result even when its success cannot be recorded', async () => {
    const failing = new Set<string>();
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore: withFailing(new InMemoryCircuitBreakerStore(), failing),
      queueStore: new InMemoryQueueStore(),
      campaigns: new InMemoryCampaignRepository(),
      policy: { failureThreshold: 2 },
      reconcileIntervalMs: 0,
    });
    await bw.breakers.recordFailure('apollo', { reason: 'one failure' });
    const storeErrors: string[] = [];
    bw.events.on('store:error', (event) => storeErrors.push(event.during));
    failing.add('recordSuccess');
    expect(await bw.breakers.execute('apollo', async () => 'the leads')).toBe('the leads');
    expect(storeErrors).toEqual(['execute:recordSuccess']);
  });
});

describe('the hot path', () => {
  /** In-memory stores whose every port method is counted (the synchronous local views apart). */
  function counted() {
    const calls: string[] = [];
    const count = <T extends object>(store: T): T =>
      new Proxy(store, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (property !== 'localView') calls.push(String(property));
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore: count(new InMemoryCircuitBreakerStore()),
      queueStore: count(new InMemoryQueueStore()),
      campaigns: new InMemoryCampaignRepository(),
      policy: { failureThreshold: 3 },
      reconcileIntervalMs: 0,
    });
    return { bw, calls };
  }

  it('lets calls through a closed breaker known here without asking the stores, and writes nothing for a success that changes nothing', async () => {
    const { bw, calls } = counted();
    await bw.breakers.get('apollo'); // sets the stores up
    calls.length = 0;
    for (let i = 0; i < 5; i++) expect(await bw.breakers.execute('apollo', async () => i)).toBe(i);
    expect(calls).toEqual([]);
  });

  it('still records the success that zeroes a failure count, then goes back to writing nothing', async () => {
    const { bw, calls } = counted();
    await bw.breakers.get('apollo');
    calls.length = 0;
    await expect(bw.breakers.execute('apollo', failing('HTTP 503'))).rejects.toThrow('HTTP 503');
    await bw.breakers.execute('apollo', async () => 'ok');
    await bw.breakers.execute('apollo', async () => 'ok');
    expect(calls).toEqual(['recordFailure', 'recordSuccess']);
    expect(await bw.breakers.get('apollo')).toMatchObject({ state: 'closed', failureCount: 0 });
  });

  it.each([
    ['no local view', undefined],
    [
      'a localView that throws',
      () => {
        throw new Error('no view');
      },
    ],
    ['a localView answering no view', () => ({})],
    [
      'a view whose peek throws',
      () => ({
        peek: () => {
          throw new Error('not connected');
        },
      }),
    ],
    ['a view answering a promise', () => ({ peek: () => Promise.reject(new Error('async by mistake')) })],
  ])('asks the stores when they do not know locally (%s), with the same outcome', async (_, localView) => {
    const hidden = <T extends object>(store: T): T =>
      new Proxy(store, {
        get(target, property, receiver) {
          if (property === 'localView') return localView;
          const value = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    const bw = createBreakwater({
      services: ['apollo'],
      breakerStore: hidden(new InMemoryCircuitBreakerStore()),
      queueStore: hidden(new InMemoryQueueStore()),
      campaigns: new InMemoryCampaignRepository(),
      policy: { failureThreshold: 1 },
      reconcileIntervalMs: 0,
    });
    expect(await bw.breakers.execute('apollo', async () => 'lead')).toBe('lead');
    await expect(bw.breakers.execute('apollo', failing('HTTP 503'))).rejects.toThrow('HTTP 503');
    await expect(bw.breakers.execute('apollo', async () => 'never')).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it("lets a call with options but no timeout or signal through on what is known here, and uses that call's classifier", async () => {
    const { bw, calls } = counted();
    await bw.breakers.get('apollo');
    calls.length = 0;
    await expect(bw.breakers.execute('apollo', failing('bad input'), { classifyError: () => null })).rejects.toThrow('bad input');
    expect(await bw.breakers.execute('apollo', async () => 'ok', { classifyError: () => null })).toBe('ok');
    expect(calls).toEqual([]);
    const asOutage = { classifyError: () => ({ reason: 'counted as an outage' }) };
    await expect(bw.breakers.execute('apollo', failing('HTTP 200 with an error page'), asOutage)).rejects.toThrow('error page');
    expect(calls).toEqual(['recordFailure']);
    expect(await bw.breakers.get('apollo')).toMatchObject({ failureCount: 1, lastFailureReason: 'counted as an outage' });
  });

  it('refuses something that is no function without counting a failure, on the hot path too', async () => {
    const { bw, calls } = counted();
    await bw.breakers.get('apollo');
    calls.length = 0;
    // @ts-expect-error not a function (refused at run time too, for JavaScript callers)
    await expect(bw.breakers.execute('apollo', 'fetch leads')).rejects.toBeInstanceOf(InvalidOptionsError);
    expect(calls).toEqual([]);
  });

  it('hands a call without timeout or caller signal a signal that never aborts', async () => {
    const { bw } = setup();
    const signal = await bw.breakers.execute('apollo', async (handed) => handed);
    expect(signal.aborted).toBe(false);
  });

  it("aborts the call's signal when the caller's aborts, ends the call with the caller's reason, and counts no failure", async () => {
    const { bw } = setup();
    const caller = new AbortController();
    let handed: AbortSignal | null = null;
    const call = bw.breakers.execute(
      'apollo',
      (signal) => {
        handed = signal;
        return new Promise<never>(() => {});
      },
      { signal: caller.signal },
    );
    const reason = new Error('shutting down');
    caller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect((handed as AbortSignal | null)?.aborted).toBe(true);
    expect((await bw.breakers.get('apollo')).failureCount).toBe(0);
  });

  it('refuses an unknown service on the hot path too', async () => {
    const { bw } = setup();
    // @ts-expect-error not a configured service (refused at run time too, for JavaScript callers)
    await expect(bw.breakers.execute('hubspot', async () => 'x')).rejects.toBeInstanceOf(UnknownServiceError);
  });
});
