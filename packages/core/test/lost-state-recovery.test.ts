/**
 * Stores that hold no state (a fresh system, or a Redis that came back empty) are rebuilt from the
 * durable record before they answer: a fenced service comes back paused, its breaker open and latched,
 * so nothing runs and no resume succeeds without an operator's reset. Here the stores are new in-memory
 * ones over a repository that kept its fences, as after a process restart; Redis itself is in the fault suite.
 */
import {
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  PrerequisitesNotMetError,
  createBreakwater,
} from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { recordingLogger } from './support/recording-logger';

const SERVICES = ['apollo', 'perplexity'];

function breakwaterOver(
  campaigns: InMemoryCampaignRepository,
  stores = { breakerStore: new InMemoryCircuitBreakerStore(), queueStore: new InMemoryQueueStore() },
  logger = recordingLogger(),
) {
  return createBreakwater({ services: SERVICES, ...stores, campaigns, reconcileIntervalMs: 0, logger });
}

describe('stores that lost their state', () => {
  it('come back paused for every fenced service: no call goes out, no resume without a reset', async () => {
    const campaigns = new InMemoryCampaignRepository();
    const before = breakwaterOver(campaigns);
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    await before.breakers.trip('apollo', 'HTTP 503');
    await before.close();

    // The stores are gone (a new process over the same durable repository).
    const logger = recordingLogger();
    const after = breakwaterOver(campaigns, undefined, logger);
    const initialized: unknown[] = [];
    after.events.on('store:initialized', (event) => initialized.push(event));
    let called = false;
    await expect(
      after.breakers.execute('apollo', async () => {
        called = true;
      }),
    ).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(called).toBe(false);
    expect(initialized).toEqual([{ breakerStore: true, queueStore: true, paused: ['apollo'] }]);
    expect(logger.lines.find((line) => line.message.startsWith('Stores set up'))).toEqual({
      level: 'warn',
      message: 'Stores set up from the durable record: apollo paused with breakers open until an operator resets them',
      fields: { breakerStore: true, queueStore: true, paused: ['apollo'] },
    });

    const apollo = await after.breakers.get('apollo');
    expect(apollo).toMatchObject({ state: 'open', latched: true });
    expect(apollo.lastFailureReason).toMatch(
      /^Breaker state was lost by its store while apollo was paused \(Circuit breaker open for apollo: HTTP 503\)/,
    );
    expect(await after.queueStore.getStates(SERVICES)).toMatchObject([
      { service: 'apollo', state: 'PAUSED', reason: 'Circuit breaker open for apollo: HTTP 503' },
      { service: 'perplexity', state: 'ACTIVE' },
    ]);
    const status = await after.status();
    expect(status).toMatchObject({ canResume: false, blockedBy: [{ service: 'apollo', reason: 'open' }] });
    await expect(after.resumeQueue()).rejects.toBeInstanceOf(PrerequisitesNotMetError);
    expect(await campaigns.getCampaign(campaign.id)).toMatchObject({ status: 'PAUSED' });

    // The way back is the operator's: reset, then resume.
    await after.breakers.reset('apollo');
    const report = await after.resumeQueue();
    expect(report).toMatchObject({ jobsResumed: 1, campaignsResumed: 1 });
    expect(await after.breakers.execute('apollo', async () => 'ok')).toBe('ok');
  });

  it('a fresh system takes the same path and finds nothing paused', async () => {
    const bw = breakwaterOver(new InMemoryCampaignRepository());
    const initialized: unknown[] = [];
    bw.events.on('store:initialized', (event) => initialized.push(event));
    expect(await bw.breakers.execute('apollo', async () => 'ok')).toBe('ok');
    expect(initialized).toEqual([{ breakerStore: true, queueStore: true, paused: [] }]);
    expect((await bw.status()).canResume).toBe(true);
  });

  it('concurrent first calls set the stores up once', async () => {
    const bw = breakwaterOver(new InMemoryCampaignRepository());
    let initialized = 0;
    bw.events.on('store:initialized', () => (initialized += 1));
    await Promise.all(Array.from({ length: 20 }, (_, i) => bw.breakers.execute(SERVICES[i % 2] ?? 'apollo', async () => i)));
    expect(initialized).toBe(1);
  });

  it('processes sharing the stores that find them empty at once: one sets them up and says so, the others stay quiet', async () => {
    const campaigns = new InMemoryCampaignRepository();
    const stores = { breakerStore: new InMemoryCircuitBreakerStore(), queueStore: new InMemoryQueueStore() };
    const logger = recordingLogger();
    const processes = [breakwaterOver(campaigns, stores, logger), breakwaterOver(campaigns, stores, logger)];
    let initialized = 0;
    for (const bw of processes) bw.events.on('store:initialized', () => (initialized += 1));
    await Promise.all(processes.map((bw) => bw.breakers.execute('apollo', async () => 'ok')));
    expect(initialized).toBe(1);
    expect(logger.messages().filter((message) => message.startsWith('Stores set up'))).toEqual([
      'Stores set up from the durable record: no service is paused',
    ]);
  });

  it('one store that lost its state alone is rebuilt, and said so, though the other kept its own', async () => {
    const campaigns = new InMemoryCampaignRepository();
    const queueStore = new InMemoryQueueStore();
    const before = breakwaterOver(campaigns, { breakerStore: new InMemoryCircuitBreakerStore(), queueStore });
    await before.breakers.trip('apollo', 'HTTP 503');
    await before.close();

    const after = breakwaterOver(campaigns, { breakerStore: new InMemoryCircuitBreakerStore(), queueStore });
    const initialized: unknown[] = [];
    after.events.on('store:initialized', (event) => initialized.push(event));
    await expect(after.breakers.execute('apollo', async () => 'ok')).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(initialized).toEqual([{ breakerStore: true, queueStore: false, paused: ['apollo'] }]);
  });

  it('while the durable record cannot be read, they stay shut (fail closed) and are set up once it can', async () => {
    const campaigns = new InMemoryCampaignRepository();
    const readPauseState = campaigns.readPauseState.bind(campaigns);
    campaigns.readPauseState = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    };
    const bw = breakwaterOver(campaigns);
    await expect(bw.breakers.execute('apollo', async () => 'ok')).rejects.toMatchObject({
      code: 'STORE_ERROR',
      message: 'CampaignRepository.readPauseState failed: connect ECONNREFUSED 127.0.0.1:5432',
    });
    campaigns.readPauseState = readPauseState;
    expect(await bw.breakers.execute('apollo', async () => 'ok')).toBe('ok');
  });
});
