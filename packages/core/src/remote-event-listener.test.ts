import { EventEmitter } from 'eventemitter3';
import { describe, expect, it } from 'vitest';
import { closedRecord } from './breaker-transitions.js';
import type { BreakwaterEvents } from './events.js';
import { silentLogger } from './logger.js';
import { InMemoryCampaignRepository } from './memory/in-memory-campaign-repository.js';
import { InMemoryCircuitBreakerStore } from './memory/in-memory-circuit-breaker-store.js';
import { InMemoryQueueStore } from './memory/in-memory-queue-store.js';
import type { BreakerChange, QueueChange } from './ports.js';
import { listenToOtherProcesses } from './remote-event-listener.js';
import { buildReport } from './report.js';
import { PauseEpochs } from './worker/pause-epochs.js';

/** In-memory stores that also hear "other processes": each change handed to `fromElsewhere` reaches their listeners. */
function sharedStores() {
  const breakerListeners: ((change: BreakerChange) => void)[] = [];
  const queueListeners: ((change: QueueChange) => void)[] = [];
  const breakerStore = Object.assign(new InMemoryCircuitBreakerStore(), {
    subscribe: (listener: (change: BreakerChange) => void) => {
      breakerListeners.push(listener);
      return () => breakerListeners.splice(breakerListeners.indexOf(listener), 1);
    },
  });
  const queueStore = Object.assign(new InMemoryQueueStore(), {
    subscribe: (listener: (change: QueueChange) => void) => {
      queueListeners.push(listener);
      return () => queueListeners.splice(queueListeners.indexOf(listener), 1);
    },
  });
  return {
    breakerStore,
    queueStore,
    breakerChange: (change: BreakerChange) => breakerListeners.forEach((listener) => listener(change)),
    queueChange: (change: QueueChange) => queueListeners.forEach((listener) => listener(change)),
    listening: () => breakerListeners.length + queueListeners.length,
  };
}

function listen() {
  const stores = sharedStores();
  const events = new EventEmitter<BreakwaterEvents>();
  const pauseEpochs = new PauseEpochs();
  const campaigns = new InMemoryCampaignRepository();
  const unsubscribers = listenToOtherProcesses({
    services: ['apollo', 'openai'],
    ...stores,
    campaigns,
    events,
    pauseEpochs,
    logger: silentLogger,
  });
  return { ...stores, events, pauseEpochs, unsubscribers };
}

describe('listenToOtherProcesses', () => {
  it("emits another process's breaker transition as remote, and stops this process's workers starting jobs of a service it opened", () => {
    const { breakerChange, events, pauseEpochs } = listen();
    const opened: unknown[] = [];
    events.on('breaker:opened', (event) => opened.push(event));
    const record = { ...closedRecord('apollo', 1_000), state: 'open' as const, lastFailureReason: 'HTTP 503' };
    breakerChange({ service: 'apollo', transition: 'opened', record });
    expect(opened).toEqual([{ service: 'apollo', record, remote: true, from: null, requestedBy: null, reason: 'HTTP 503' }]);
    expect(pauseEpochs.current('apollo')).toBe(1);
  });

  it('emits a remote pause and resume of a queue; a pause bumps the epoch', () => {
    const { queueChange, events, pauseEpochs } = listen();
    const seen: [string, unknown][] = [];
    events.on('service:paused', (event) => seen.push(['service:paused', event]));
    events.on('service:resumed', (event) => seen.push(['service:resumed', event]));
    queueChange({ kind: 'queue', service: 'apollo', state: { service: 'apollo', state: 'PAUSED', reason: 'down', updatedAt: 1 } });
    queueChange({ kind: 'queue', service: 'apollo', state: { service: 'apollo', state: 'ACTIVE', reason: null, updatedAt: 2 } });
    expect(seen).toMatchObject([
      ['service:paused', { service: 'apollo', reason: 'down', remote: true, jobsPaused: null }],
      ['service:resumed', { service: 'apollo', remote: true, resumeId: null }],
    ]);
    expect(pauseEpochs.current('apollo')).toBe(1);
  });

  it("emits another process's completed resume with the report it saved", async () => {
    const { queueChange, queueStore, events } = listen();
    const report = buildReport({
      resumeId: 'resume-1',
      requestedBy: 'ada@example.com',
      startedAt: new Date(0),
      finishedAt: new Date(1),
      dryRun: false,
      services: ['apollo'],
      jobsResumed: 2,
      campaignJobsResumed: 0,
      campaignsEligible: 1,
      campaignsResumed: 1,
      campaignResumeErrors: [],
    });
    await queueStore.saveLastReport(report);
    const completed = new Promise((resolve) => events.once('resume:completed', resolve));
    queueChange({ kind: 'resume-completed', resumeId: 'resume-1' });
    expect(await completed).toEqual({ report, remote: true });
  });

  it('stays silent about a service this instance is not configured with (another process runs a longer list)', () => {
    const { breakerChange, queueChange, events, pauseEpochs } = listen();
    const heard: unknown[] = [];
    for (const name of ['breaker:opened', 'service:paused', 'service:resumed'] as const) events.on(name, (event) => heard.push(event));
    const record = { ...closedRecord('instantly', 1_000), state: 'open' as const, lastFailureReason: 'HTTP 503' };
    breakerChange({ service: 'instantly', transition: 'opened', record });
    queueChange({ kind: 'queue', service: 'instantly', state: { service: 'instantly', state: 'PAUSED', reason: 'down', updatedAt: 1 } });
    expect(heard).toEqual([]);
    expect(pauseEpochs.current('instantly')).toBe(0);
  });

  it('stops listening when unsubscribed', () => {
    const { unsubscribers, listening } = listen();
    expect(listening()).toBe(2);
    for (const unsubscribe of unsubscribers) unsubscribe();
    expect(listening()).toBe(0);
  });
});
