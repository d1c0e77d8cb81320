/**
 * A trip that lands while a resume runs, after the resume found every breaker closed. The trip's cascade pauses
 * its service at once (so nothing new starts meanwhile), but the resume's step 5 may undo that pause; two things
 * pause the service again, each covering what the other cannot see: the trip's cascade, once the resume lets go
 * of the lock (even when the resume missed the trip), and the resume itself, for a service whose breaker opened
 * while it ran (even when that trip's cascade never ran). Each case below leaves one of them alone to do it.
 */
import {
  type Breakwater,
  type CircuitBreakerStore,
  DEFAULT_POLICY,
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  closedRecord,
  createBreakwater,
} from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { recordingLogger } from './support/recording-logger';
import { waitFor } from './support/wait-for';

const SERVICES = ['apollo', 'openai'];

/**
 * A view of the breaker store for the resuming instance. Once armed, its first `list` (the resume's prerequisite
 * check) reads the store, then waits until the test opens the gate; later lists answer from the store, or, when
 * `staleAfterCheck`, with every breaker closed (a near-cache that has not heard of the trip yet).
 */
function resumingView(store: CircuitBreakerStore, options: { staleAfterCheck: boolean }) {
  let armed = false;
  let lists = 0;
  let reached = () => {};
  const atGate = new Promise<void>((resolve) => (reached = resolve));
  let open = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const view = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== 'list') return typeof value === 'function' ? value.bind(target) : value;
      return async (services: readonly string[], now: number) => {
        const records = await target.list(services, now);
        if (!armed) return records;
        lists += 1;
        if (lists === 1) {
          reached();
          await gate;
          return records;
        }
        return options.staleAfterCheck ? records.map((record) => closedRecord(record.service, now)) : records;
      };
    },
  });
  return {
    view,
    arm: () => (armed = true),
    atGate,
    open: () => open(),
  };
}

/** Campaigns whose next listing of paused campaigns (the resume's step 6, after its step 5) waits until the test opens the gate. */
class HeldBeforeCampaignStep extends InMemoryCampaignRepository {
  private armed = false;
  private reached = () => {};
  readonly atGate = new Promise<void>((resolve) => (this.reached = resolve));
  private openGate = () => {};
  private readonly gate = new Promise<void>((resolve) => (this.openGate = resolve));
  arm(): void {
    this.armed = true;
  }
  open(): void {
    this.openGate();
  }
  override async listPausedCampaignIds(query: { after?: string; limit: number }): Promise<string[]> {
    if (this.armed) {
      this.armed = false;
      this.reached();
      await this.gate;
    }
    return super.listPausedCampaignIds(query);
  }
}

/** Three campaigns, each with an apollo and an openai job, paused by an earlier apollo outage whose breaker was reset since. */
async function afterAnEarlierOutage(bw: Breakwater, campaigns: InMemoryCampaignRepository) {
  for (let i = 0; i < 3; i += 1) {
    const campaign = await campaigns.createCampaign({ name: `c${i}`, status: 'RUNNING' });
    for (const service of SERVICES) await campaigns.enqueueJob({ campaignId: campaign.id, service });
  }
  await bw.breakers.trip('apollo', 'earlier outage');
  await bw.breakers.reset('apollo');
  expect(await campaigns.countCampaignsByStatus()).toMatchObject({ PAUSED: 3, RUNNING: 0 });
}

async function expectNothingOfApolloLeftToRun(bw: Breakwater, campaigns: InMemoryCampaignRepository) {
  expect((await bw.queueStore.getStates(['apollo']))[0]?.state).toBe('PAUSED');
  expect(await campaigns.countJobsByStatus({ service: 'apollo' })).toMatchObject({ PENDING: 0, PAUSED: 3 });
  expect(await campaigns.countCampaignsByStatus()).toMatchObject({ RUNNING: 0, PAUSED: 3 });
}

describe('a trip racing a resume that found every breaker closed', () => {
  it('pauses its service at once, while the resume still holds the lock', async () => {
    const campaigns = new HeldBeforeCampaignStep();
    const bw = createBreakwater({
      services: SERVICES,
      breakerStore: new InMemoryCircuitBreakerStore(),
      queueStore: new InMemoryQueueStore(),
      campaigns,
      reconcileIntervalMs: 0,
    });
    await afterAnEarlierOutage(bw, campaigns);

    campaigns.arm();
    const resume = bw.resumeQueue();
    await campaigns.atGate;
    expect(await campaigns.countJobsByStatus({ service: 'apollo' })).toMatchObject({ PENDING: 3 });
    const trip = bw.breakers.trip('apollo', 'outage again');
    // No worker anywhere may claim an apollo job from now on, though the resume has not finished.
    await waitFor(async () => expect(await campaigns.countJobsByStatus({ service: 'apollo' })).toMatchObject({ PENDING: 0 }), 1_000);
    expect((await bw.queueStore.getStates(['apollo']))[0]?.state).toBe('PAUSED');
    campaigns.open();
    await resume;
    await trip;

    await expectNothingOfApolloLeftToRun(bw, campaigns);
  });

  it("is paused again by the trip's cascade once the resume lets go of the lock, even when the resume missed the trip", async () => {
    const breakerStore = new InMemoryCircuitBreakerStore();
    const queueStore = new InMemoryQueueStore();
    const campaigns = new InMemoryCampaignRepository();
    const shared = { campaigns, reconcileIntervalMs: 0 };
    let lockRequests = 0;
    const trippingQueueStore = new Proxy(queueStore, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property === 'acquireResumeLock') lockRequests += 1;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const tripping = createBreakwater({ services: SERVICES, breakerStore, queueStore: trippingQueueStore, ...shared });
    // The resume runs in another process, whose reads of the breakers lag behind the trip.
    const resuming = resumingView(breakerStore, { staleAfterCheck: true });
    const operator = createBreakwater({ services: SERVICES, breakerStore: resuming.view, queueStore, ...shared });
    await afterAnEarlierOutage(tripping, campaigns);
    lockRequests = 0;

    resuming.arm();
    const resume = operator.resumeQueue();
    await resuming.atGate;
    const trip = tripping.breakers.trip('apollo', 'outage again');
    // Asked for the lock a second time: the cascade's first pause is done, and it waits for the lock the resume holds.
    await waitFor(() => expect(lockRequests).toBeGreaterThanOrEqual(2));
    resuming.open();
    await resume;
    await trip;

    await expectNothingOfApolloLeftToRun(tripping, campaigns);
  });

  it('is paused again by the resume itself before it returns, even when no cascade of that trip ever ran', async () => {
    const breakerStore = new InMemoryCircuitBreakerStore();
    const campaigns = new InMemoryCampaignRepository();
    const resuming = resumingView(breakerStore, { staleAfterCheck: false });
    const logger = recordingLogger();
    const bw = createBreakwater({
      services: SERVICES,
      breakerStore: resuming.view,
      queueStore: new InMemoryQueueStore(),
      campaigns,
      reconcileIntervalMs: 0,
      logger,
    });
    await afterAnEarlierOutage(bw, campaigns);

    const pauses: unknown[] = [];
    bw.events.on('service:paused', (event) => pauses.push(event));
    resuming.arm();
    const resume = bw.resumeQueue();
    await resuming.atGate;
    // Another process opened the breaker and died before its cascade paused anything.
    await breakerStore.trip('apollo', 'outage again', DEFAULT_POLICY, Date.now());
    resuming.open();
    await resume;

    await expectNothingOfApolloLeftToRun(bw, campaigns);
    expect(pauses).toEqual([
      {
        service: 'apollo',
        reason: 'Circuit breaker open for apollo: outage again',
        jobsPaused: 3,
        campaignsPaused: 3,
        remote: false,
        source: 'resume',
      },
    ]);
    const report = await resume;
    expect(logger.lines.find((line) => line.message.includes('opened during the resume'))).toEqual({
      level: 'warn',
      message: 'Circuit breaker for apollo opened during the resume: apollo paused again',
      fields: { resumeId: report.resumeId, service: 'apollo' },
    });
  });
});
