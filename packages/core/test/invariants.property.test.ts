/**
 * The pause and resume invariants (docs/manual-resume.md#resumes-and-trips-at-the-same-time) under random sequences and interleavings:
 * once a trip's cascade has finished, no campaign is RUNNING and no queue is ACTIVE for an open
 * breaker unless a later resumeQueue succeeded; campaigns resume only through resumeQueue.
 */
import {
  type Breakwater,
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  PrerequisitesNotMetError,
  createBreakwater,
} from '@breakwater/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom, withRandomDelays } from './support/delaying-proxy';

const SERVICES = ['apollo', 'perplexity', 'openai'] as const;
type Service = (typeof SERVICES)[number];
const THRESHOLD = 3;
const RESET_MS = 1_000;

/** What a careful reader expects, written without the engine's code. */
interface Model {
  now: number;
  breakers: Record<Service, { state: 'closed' | 'open'; failures: number; openUntil: number | null /* null: latched */ }>;
  queues: Record<Service, 'ACTIVE' | 'PAUSED'>;
  campaignsRunning: boolean;
  jobs: Record<Service, { pending: number; paused: number }>;
}

interface Real {
  bw: Breakwater;
  campaigns: InMemoryCampaignRepository;
  campaignIds: string[];
  clock: { now: number };
}

function openModel(model: Model, service: Service, latched: boolean) {
  model.breakers[service] = { state: 'open', failures: 0, openUntil: latched ? null : model.now + RESET_MS };
  model.queues[service] = 'PAUSED';
  model.campaignsRunning = false;
  model.jobs[service] = { pending: 0, paused: model.jobs[service].paused + model.jobs[service].pending };
}

/** A call is let through when closed with an active queue, or as a probe once an unlatched open breaker's time is up. */
function callAllowed(model: Model, service: Service): 'closed' | 'probe' | false {
  const breaker = model.breakers[service];
  if (breaker.state === 'closed') return model.queues[service] === 'ACTIVE' ? 'closed' : false;
  return breaker.openUntil !== null && model.now >= breaker.openUntil ? 'probe' : false;
}

/** Every command runs, then the model and the invariants are checked against the real stores. */
abstract class Checked implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  abstract act(model: Model, real: Real): Promise<void>;
  abstract toString(): string;
  async run(model: Model, real: Real) {
    await this.act(model, real);
    await assertMatches(model, real);
  }
}

class CallCommand extends Checked {
  constructor(
    readonly service: Service,
    readonly succeeds: boolean,
  ) {
    super();
  }
  async act(model: Model, real: Real) {
    const allowed = callAllowed(model, this.service);
    const outcome = await real.bw.breakers
      .execute(this.service, async () => {
        if (!this.succeeds) throw new Error('HTTP 503');
        return 'ok';
      })
      .then(
        () => 'ok',
        (error: Error) => error.name,
      );
    if (!allowed) {
      expect(outcome).toBe('CircuitOpenError');
      return;
    }
    expect(outcome).toBe(this.succeeds ? 'ok' : 'Error');
    const breaker = model.breakers[this.service];
    if (this.succeeds) model.breakers[this.service] = { state: 'closed', failures: 0, openUntil: null };
    else if (allowed === 'probe' || breaker.failures + 1 >= THRESHOLD) openModel(model, this.service, false);
    else breaker.failures += 1;
  }
  override toString = () => `call(${this.service}, ${this.succeeds ? 'ok' : 'fail'})`;
}

class TripCommand extends Checked {
  constructor(readonly service: Service) {
    super();
  }
  async act(model: Model, real: Real) {
    await real.bw.breakers.trip(this.service, 'maintenance');
    openModel(model, this.service, true);
  }
  override toString = () => `trip(${this.service})`;
}

class ResetCommand extends Checked {
  constructor(readonly service: Service) {
    super();
  }
  async act(model: Model, real: Real) {
    await real.bw.breakers.reset(this.service);
    model.breakers[this.service] = { state: 'closed', failures: 0, openUntil: null };
  }
  override toString = () => `reset(${this.service})`;
}

class AdvanceCommand extends Checked {
  constructor(readonly ms: number) {
    super();
  }
  async act(model: Model, real: Real) {
    model.now += this.ms;
    real.clock.now += this.ms;
  }
  override toString = () => `advance(${this.ms})`;
}

class EnqueueCommand extends Checked {
  constructor(readonly service: Service) {
    super();
  }
  async act(model: Model, real: Real) {
    await real.campaigns.enqueueJob({ campaignId: real.campaignIds[0] as string, service: this.service });
    if (model.queues[this.service] === 'PAUSED') model.jobs[this.service].paused += 1;
    else model.jobs[this.service].pending += 1;
  }
  override toString = () => `enqueue(${this.service})`;
}

class ResumeCommand extends Checked {
  async act(model: Model, real: Real) {
    const blocked = SERVICES.filter((s) => model.breakers[s].state !== 'closed');
    const result = await real.bw.resumeQueue().catch((error: unknown) => error);
    if (blocked.length > 0) {
      expect(result).toBeInstanceOf(PrerequisitesNotMetError);
      expect((result as PrerequisitesNotMetError).blocked.map((b) => b.service)).toEqual(blocked);
      return;
    }
    const pausedJobs = SERVICES.reduce((sum, s) => sum + model.jobs[s].paused, 0);
    expect(result).toMatchObject({ jobsResumed: pausedJobs, campaignsResumed: model.campaignsRunning ? 0 : 3 });
    for (const s of SERVICES) {
      model.queues[s] = 'ACTIVE';
      model.jobs[s] = { pending: model.jobs[s].pending + model.jobs[s].paused, paused: 0 };
    }
    model.campaignsRunning = true;
  }
  override toString = () => 'resume()';
}

async function assertMatches(model: Model, real: Real) {
  const breakers = await real.bw.breakers.list();
  const queues = await real.bw.queueStore.getStates(SERVICES);
  for (const [i, service] of SERVICES.entries()) {
    // A probe that closed the breaker leaves it closed; the model never keeps a half-open breaker between commands.
    expect(breakers[i]?.state).toBe(model.breakers[service].state);
    expect(queues[i]?.state).toBe(model.queues[service]);
    const jobs = await real.campaigns.countJobsByStatus({ service });
    expect({ pending: jobs.PENDING, paused: jobs.PAUSED }).toEqual(model.jobs[service]);
    // The invariant itself: an open breaker means its queue is paused and nothing runs.
    if (breakers[i]?.state !== 'closed') {
      expect(queues[i]?.state).toBe('PAUSED');
      expect(jobs.PENDING).toBe(0);
    }
  }
  const counts = await real.campaigns.countCampaignsByStatus();
  expect(counts.RUNNING).toBe(model.campaignsRunning ? 3 : 0);
  if (breakers.some((b) => b.state !== 'closed')) expect(counts.RUNNING).toBe(0);
}

const service = fc.constantFrom(...SERVICES);
const commands = fc.commands(
  [
    fc.tuple(service, fc.boolean()).map(([s, ok]) => new CallCommand(s, ok)),
    service.map((s) => new TripCommand(s)),
    service.map((s) => new ResetCommand(s)),
    fc.integer({ min: 1, max: 1_500 }).map((ms) => new AdvanceCommand(ms)),
    service.map((s) => new EnqueueCommand(s)),
    fc.constant(new ResumeCommand()),
  ],
  { maxCommands: 40 },
);

describe('invariants', () => {
  it('hold under random sequences of calls, trips, resets, time and resumes', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const clock = { now: 1_000_000 };
        const campaigns = new InMemoryCampaignRepository({ clock: () => clock.now });
        const bw = createBreakwater({
          services: SERVICES,
          breakerStore: new InMemoryCircuitBreakerStore(),
          queueStore: new InMemoryQueueStore({ clock: () => clock.now }),
          campaigns,
          policy: { failureThreshold: THRESHOLD, resetTimeoutMs: RESET_MS },
          clock: () => clock.now,
        });
        const campaignIds: string[] = [];
        for (let i = 0; i < 3; i += 1) campaignIds.push((await campaigns.createCampaign({ name: `c${i}`, status: 'RUNNING' })).id);
        const model: Model = {
          now: clock.now,
          breakers: {
            apollo: { state: 'closed', failures: 0, openUntil: null },
            perplexity: { state: 'closed', failures: 0, openUntil: null },
            openai: { state: 'closed', failures: 0, openUntil: null },
          },
          queues: { apollo: 'ACTIVE', perplexity: 'ACTIVE', openai: 'ACTIVE' },
          campaignsRunning: true,
          jobs: { apollo: { pending: 0, paused: 0 }, perplexity: { pending: 0, paused: 0 }, openai: { pending: 0, paused: 0 } },
        };
        const real: Real = { bw, campaigns, campaignIds, clock };
        await fc.asyncModelRun(() => ({ model, real }), cmds);
      }),
      { numRuns: 150 },
    );
  });

  it('hold when a trip races a resume, under many interleavings', async () => {
    for (let seed = 1; seed <= 120; seed += 1) {
      const random = seededRandom(seed);
      const campaigns = new InMemoryCampaignRepository();
      const queueStore = new InMemoryQueueStore();
      const bw = createBreakwater({
        services: SERVICES,
        breakerStore: withRandomDelays(new InMemoryCircuitBreakerStore(), random),
        queueStore: withRandomDelays(queueStore, random),
        campaigns: withRandomDelays(campaigns, random),
      });
      for (let i = 0; i < 4; i += 1) {
        const campaign = await campaigns.createCampaign({ name: `c${i}`, status: 'PAUSED' });
        await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo', status: 'PAUSED' });
      }
      await queueStore.initialize({ services: SERVICES, paused: [{ service: 'apollo', reason: 'earlier outage' }] });

      const resume = bw.resumeQueue().catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, random() * 2));
      await bw.breakers.trip('apollo', 'outage again');
      // The trip's cascade has finished: whatever the resume did, nothing runs for apollo now.
      const context = `seed ${seed}`;
      expect((await campaigns.countCampaignsByStatus()).RUNNING, context).toBe(0);
      expect((await queueStore.getStates(['apollo']))[0]?.state, context).toBe('PAUSED');
      expect((await campaigns.countJobsByStatus({ service: 'apollo' })).PENDING, context).toBe(0);
      const outcome = await resume;
      expect((await campaigns.countCampaignsByStatus()).RUNNING, context).toBe(0);
      expect((await campaigns.countJobsByStatus({ service: 'apollo' })).PENDING, context).toBe(0);
      // The report counts the jobs it moved, never one twice: there are 4.
      if (!(outcome instanceof Error)) {
        const report = outcome as { jobsResumed: number; campaignJobsResumed: number };
        expect(report.jobsResumed + report.campaignJobsResumed, context).toBeLessThanOrEqual(4);
      }
      expect(await queueStore.isResumeLocked(), context).toBe(false);
    }
  });
});
