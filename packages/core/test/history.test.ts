/**
 * The durable history through createBreakwater: what is recorded (with who, why and the numbers), what is not
 * (dry runs, other processes' events), paging, retention, and that a failing history store never makes a
 * breaker call, a cascade or a resume fail.
 */
import {
  type BreakwaterOptions,
  type HistoryEntry,
  type HistoryStore,
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryHistoryStore,
  InMemoryQueueStore,
  createBreakwater,
} from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { recordingLogger } from './support/recording-logger';

const SERVICES = ['apollo', 'openai'];

function setup(options: { history?: HistoryStore; clock?: () => number } & Partial<BreakwaterOptions> = {}) {
  const campaigns = new InMemoryCampaignRepository();
  const history = options.history ?? new InMemoryHistoryStore();
  const logger = recordingLogger();
  const bw = createBreakwater({
    services: SERVICES,
    breakerStore: new InMemoryCircuitBreakerStore(),
    queueStore: new InMemoryQueueStore(),
    campaigns,
    policy: { failureThreshold: 2, resetTimeoutMs: 0 },
    reconcileIntervalMs: 0,
    logger,
    ...options,
    history,
  });
  return { bw, campaigns, history, logger };
}

/** The whole history, oldest first, as kind / service / actor / reason. */
async function story(bw: ReturnType<typeof setup>['bw']): Promise<Pick<HistoryEntry, 'kind' | 'service' | 'actor' | 'reason'>[]> {
  const { entries } = await bw.history({ limit: 500 });
  return entries.reverse().map(({ kind, service, actor, reason }) => ({ kind, service, actor, reason }));
}

async function seed(campaigns: InMemoryCampaignRepository) {
  const campaign = await campaigns.createCampaign({ name: 'Q4', status: 'RUNNING' });
  await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
  await campaigns.enqueueJob({ campaignId: campaign.id, service: 'openai' });
  return campaign;
}

describe('the history records', () => {
  it('a trip, its cascade, a blocked resume, a reset and the resume, with who, why and the counts', async () => {
    const { bw, campaigns } = setup();
    await seed(campaigns);
    await bw.breakers.trip('apollo', 'Apollo maintenance window', { requestedBy: 'ada@example.com' });
    await expect(bw.resumeQueue({ requestedBy: 'bob@example.com' })).rejects.toThrow('Cannot resume queue');
    await bw.breakers.reset('apollo', { requestedBy: 'ada@example.com' });
    const report = await bw.resumeQueue({ requestedBy: 'bob@example.com' });

    expect(await story(bw)).toEqual([
      { kind: 'store:initialized', service: null, actor: null, reason: 'Stores set up from the durable record: no service is paused' },
      { kind: 'breaker:opened', service: 'apollo', actor: 'ada@example.com', reason: 'Apollo maintenance window' },
      { kind: 'breaker:tripped', service: 'apollo', actor: 'ada@example.com', reason: 'Apollo maintenance window' },
      { kind: 'service:paused', service: 'apollo', actor: null, reason: 'Circuit breaker open for apollo: Apollo maintenance window' },
      { kind: 'resume:requested', service: null, actor: 'bob@example.com', reason: null },
      {
        kind: 'resume:blocked',
        service: null,
        actor: 'bob@example.com',
        reason: 'Cannot resume queue: Circuit breakers still open for: apollo (open)',
      },
      { kind: 'breaker:reset', service: 'apollo', actor: 'ada@example.com', reason: null },
      { kind: 'resume:requested', service: null, actor: 'bob@example.com', reason: null },
      { kind: 'resume:completed', service: null, actor: 'bob@example.com', reason: report.message },
    ]);
    const { entries } = await bw.history({ limit: 500 });
    const byKind = (kind: string) => entries.find((entry) => entry.kind === kind);
    expect(byKind('breaker:opened')?.details).toEqual({ from: 'closed', failureCount: 0, tripCount: 1, latched: true });
    expect(byKind('service:paused')?.details).toEqual({ jobsPaused: 1, campaignsPaused: 1, source: 'cascade' });
    expect(byKind('resume:blocked')?.details).toMatchObject({ blocked: [{ service: 'apollo', reason: 'open' }] });
    expect(byKind('breaker:reset')?.details).toEqual({ from: 'open', tripCount: 1 });
    expect(byKind('resume:completed')?.details).toEqual({
      resumeId: report.resumeId,
      jobsResumed: 1,
      campaignJobsResumed: 0,
      campaignsEligible: 1,
      campaignsResumed: 1,
      campaignResumeErrors: [],
      servicesResumed: SERVICES,
    });
    for (const entry of entries) expect(entry.at).toBeGreaterThan(Date.now() - 60_000);
  });

  it('breaker transitions by failures and probes, with the failure as the reason and no actor', async () => {
    const { bw } = setup();
    await bw.breakers.recordFailure('openai', { reason: 'HTTP 429' });
    await bw.breakers.recordFailure('openai', { reason: 'HTTP 429' });
    expect((await bw.breakers.shouldAllowRequest('openai')).allowed).toBe(true);
    await bw.breakers.recordSuccess('openai');
    const transitions = (await story(bw)).filter((entry) => entry.kind.startsWith('breaker:'));
    expect(transitions).toEqual([
      { kind: 'breaker:opened', service: 'openai', actor: null, reason: 'HTTP 429' },
      { kind: 'breaker:half-open', service: 'openai', actor: null, reason: null },
      { kind: 'breaker:closed', service: 'openai', actor: null, reason: null },
    ]);
    const { entries } = await bw.history({ kinds: ['breaker:half-open', 'breaker:closed'] });
    expect(entries.map((entry) => entry.details.from)).toEqual(['half_open', 'open']);
  });

  it('a pause the reconciler completed, and a resume that failed', async () => {
    const { bw, campaigns } = setup();
    await seed(campaigns);
    // The breaker opened in the store and the process died before its cascade.
    await bw.breakerStore.recordFailure('apollo', { reason: 'HTTP 503' }, { ...bw.policy, failureThreshold: 1 }, Date.now());
    expect(await bw.reconcile({ immediate: true })).toEqual(['apollo']);
    await bw.breakers.reset('apollo');
    const failing = campaigns.resumeCampaigns.bind(campaigns);
    campaigns.resumeCampaigns = async () => {
      throw new Error('connection reset');
    };
    await expect(bw.resumeQueue({ requestedBy: 'ada' })).rejects.toThrow('connection reset');
    campaigns.resumeCampaigns = failing;

    const { entries } = await bw.history({ kinds: ['service:paused', 'resume:failed'] });
    expect(entries.map(({ kind, details, reason, actor }) => ({ kind, source: details.source, reason, actor }))).toEqual([
      { kind: 'resume:failed', source: undefined, reason: 'CampaignRepository.resumeCampaigns failed: connection reset', actor: 'ada' },
      { kind: 'service:paused', source: 'reconciler', reason: 'Circuit breaker open for apollo: HTTP 503', actor: null },
    ]);
  });

  it('stores rebuilt after they lost their state, with the services that came back paused', async () => {
    const campaigns = new InMemoryCampaignRepository();
    await campaigns.pauseJobsForService('apollo', 'Circuit breaker open for apollo: HTTP 503');
    const { bw } = setup({ campaigns });
    await bw.status();
    const [rebuilt] = (await bw.history({ kinds: ['store:initialized'] })).entries;
    expect(rebuilt).toMatchObject({
      reason: 'Stores set up from the durable record: apollo paused with breakers open until an operator resets them',
      details: { breakerStore: true, queueStore: true, paused: ['apollo'] },
    });
  });

  it('neither dry runs nor what other processes did (they record their own)', async () => {
    const { bw } = setup();
    await bw.breakers.trip('apollo', 'down');
    // Blocked on purpose: even a blocked dry run records nothing.
    await expect(bw.resumeQueue({ dryRun: true })).rejects.toThrow('Cannot resume queue');
    const record = await bw.breakers.get('apollo');
    bw.events.emit('breaker:closed', { service: 'apollo', record, remote: true, from: null, requestedBy: null });
    bw.events.emit('service:paused', {
      service: 'openai',
      reason: 'x',
      jobsPaused: null,
      campaignsPaused: null,
      remote: true,
      source: null,
    });
    expect((await story(bw)).map((entry) => entry.kind)).toEqual([
      'store:initialized',
      'breaker:opened',
      'breaker:tripped',
      'service:paused',
    ]);
  });
});

describe('bw.history', () => {
  it('pages newest first with a cursor, filtered by service (with what concerns every service)', async () => {
    const { bw } = setup();
    for (let i = 0; i < 3; i += 1) {
      await bw.breakers.trip('apollo', `trip ${i}`);
      await bw.breakers.reset('apollo');
    }
    await bw.breakers.trip('openai', 'quota');
    const seen: HistoryEntry[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await bw.history({ service: 'apollo', limit: 4, ...(before ? { before } : {}) });
      seen.push(...page.entries);
      if (page.nextCursor === null) break;
      expect(page.entries).toHaveLength(4);
      before = page.nextCursor;
    }
    expect(seen.every((entry) => entry.service === 'apollo' || entry.service === null)).toBe(true);
    expect(seen.filter((entry) => entry.kind === 'breaker:tripped').map((entry) => entry.reason)).toEqual(['trip 2', 'trip 1', 'trip 0']);
    expect(seen.at(-1)?.kind).toBe('store:initialized');
    expect(new Set(seen.map((entry) => entry.id)).size).toBe(seen.length);
  });

  it('refuses a bad limit, cursor or kind, and answers NOT_CONFIGURED without a history store', async () => {
    const { bw } = setup();
    await expect(bw.history({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('"limit"') });
    await expect(bw.history({ limit: 501 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(bw.history({ before: 'abc' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('"before"'),
    });
    await expect(bw.history({ kinds: ['breaker:exploded' as never] })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });

    const bare = createBreakwater({
      services: SERVICES,
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      campaigns: new InMemoryCampaignRepository(),
      reconcileIntervalMs: 0,
    });
    await expect(bare.history()).rejects.toMatchObject({ code: 'NOT_CONFIGURED' });
    await bare.close();
  });

  it('prunes what is older than the retention', async () => {
    let now = Date.UTC(2026, 0, 1);
    const { bw } = setup({ clock: () => now, historyRetentionMs: 24 * 3_600_000 });
    await bw.breakers.trip('apollo', 'old outage');
    expect((await bw.history()).entries.length).toBeGreaterThan(0);
    now += 2 * 24 * 3_600_000;
    await bw.breakers.reset('apollo');
    await bw.history();
    expect((await bw.history()).entries.map((entry) => entry.kind)).toEqual(['breaker:reset']);
  });
});

describe('a failing history store', () => {
  const failing = (): HistoryStore => ({
    append: async () => {
      throw new Error('history database unreachable');
    },
    list: async () => [],
    prune: async () => 0,
  });

  it('never fails a call, a trip and its cascade, or a resume: it is logged and emitted as store:error', async () => {
    const { bw, campaigns, logger } = setup({ history: failing() });
    await seed(campaigns);
    const storeErrors: { during: string; message: string }[] = [];
    bw.events.on('store:error', ({ during, error }) => storeErrors.push({ during, message: (error as Error).message }));

    expect(await bw.breakers.execute('openai', async () => 'copy')).toBe('copy');
    await bw.breakers.trip('apollo', 'down', { requestedBy: 'ada' });
    expect(await campaigns.countCampaignsByStatus()).toMatchObject({ PAUSED: 1 });
    await bw.breakers.reset('apollo');
    expect(await bw.resumeQueue()).toMatchObject({ jobsResumed: 1, campaignsResumed: 1 });
    await bw.history();

    expect(storeErrors.length).toBeGreaterThan(0);
    expect(
      storeErrors.every((e) => e.during === 'history' && e.message === 'HistoryStore.append failed: history database unreachable'),
    ).toBe(true);
    expect(logger.messages()).toContain('Could not write 1 entries to the history; they are lost');
  });

  it('one that never answers holds nothing up either, not even close()', async () => {
    const hanging: HistoryStore = { append: () => new Promise(() => {}), list: async () => [], prune: async () => 0 };
    const { bw, campaigns, logger } = setup({ history: hanging });
    await seed(campaigns);
    await bw.breakers.trip('apollo', 'down');
    await bw.breakers.reset('apollo');
    expect(await bw.resumeQueue()).toMatchObject({ campaignsResumed: 1 });
    const closing = Date.now();
    await bw.close();
    expect(Date.now() - closing).toBeLessThan(5_000);
    expect(logger.messages()).toContain('Closing without waiting longer for the history store (1000 ms)');
  });
});
