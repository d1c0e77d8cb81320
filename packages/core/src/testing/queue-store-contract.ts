/**
 * The QueueStore contract: per-service queue states, the cluster-wide resume lock and the last
 * report. `makeStore` must return a store over state of its own that was never set up, with no lock
 * held and no report saved (e.g. under a fresh key prefix); services are unique per test. Lock expiry
 * is tested with a short real TTL, because real servers keep their own time.
 */
import { isBreakwaterError } from '../errors.js';
import type { QueueStore } from '../ports.js';
import type { ResumeReport } from '../report.js';
import { type Capability, caseNeeding, optionalMethodsCase, requireDeclared } from './capability.js';
import type { TestApi } from './test-api.js';
import { uniqueService } from './unique-service.js';
import { sleep } from './waiting.js';

export interface QueueStoreContractOptions {
  /** `true` when the store has the synchronous `localView` (the engine's hot path), else `notSupported(why)`. */
  localView: Capability;
  /** Reads a service's stored state back bypassing the adapter (e.g. `HGET queue_status <service>`); null when nothing is stored. */
  readRawQueueState?: (store: QueueStore, service: string) => Promise<string | null>;
  /**
   * For a store that keeps the last report serialised: writes `raw` where the report is kept, bypassing the
   * adapter (e.g. `SET breakwater:last_resume_report <raw>`), to check that what is not a report reads as none.
   */
  writeRawLastReport?: (store: QueueStore, raw: string) => Promise<void>;
}

/** A resume in which one campaign failed to resume: every field of the report set, lists included. */
function partialResume(): ResumeReport {
  return {
    queueResumed: true,
    jobsResumed: 45,
    campaignJobsResumed: 3,
    campaignsEligible: 7,
    campaignsResumed: 6,
    campaignResumeErrors: ['Campaign 12345: Invalid campaign state transition'],
    servicesResumed: ['apollo', 'perplexity'],
    prerequisitesMet: 'All circuit breakers closed',
    message: 'Queue resumed successfully: 45 jobs and 6 campaigns resumed (with 1 campaign errors)',
    resumeId: 'resume-partial',
    requestedBy: null,
    startedAt: '2025-01-02T03:04:05.000Z',
    finishedAt: '2025-01-02T03:04:06.500Z',
    dryRun: false,
  };
}

/** A resume with nothing failed, asked for by an operator. */
function cleanResume(): ResumeReport {
  return {
    ...partialResume(),
    jobsResumed: 15,
    campaignJobsResumed: 0,
    campaignsEligible: 2,
    campaignsResumed: 2,
    campaignResumeErrors: [],
    servicesResumed: ['apollo'],
    message: 'Queue resumed successfully: 15 jobs and 2 campaigns resumed',
    resumeId: 'resume-clean',
    requestedBy: 'operator@example.com',
  };
}

export function queueStoreContract(
  api: TestApi,
  makeStore: () => QueueStore | Promise<QueueStore>,
  options: QueueStoreContractOptions,
): void {
  requireDeclared('queueStoreContract', options ?? {}, ['localView']);
  const { describe, it, expect } = api;

  /** A store set up with nothing paused: what every case but the setup ones starts from. */
  async function ready(): Promise<QueueStore> {
    const store = await makeStore();
    expect(await store.initialize({ services: [], paused: [] })).toBe(true);
    return store;
  }

  async function failureCode(call: Promise<unknown>): Promise<string> {
    try {
      await call;
      return 'none';
    } catch (error) {
      return isBreakwaterError(error) ? error.code : `not a BreakwaterError: ${String(error)}`;
    }
  }

  /** What was really stored: through the raw reader when there is one, else through the port. */
  async function stored(store: QueueStore, service: string): Promise<string | null> {
    if (options.readRawQueueState) return options.readRawQueueState(store, service);
    const [state] = await store.getStates([service]);
    return state?.state ?? null;
  }

  describe('QueueStore contract', () => {
    optionalMethodsCase(api, makeStore, { localView: options.localView });

    it('a store that was never set up (or lost its state) refuses queue states with STATE_LOST; the lock and the report still work', async () => {
      const store = await makeStore();
      const service = uniqueService('unset');
      expect(await failureCode(store.getStates([service]))).toBe('STATE_LOST');
      expect(await failureCode(store.pause(service, 'outage'))).toBe('STATE_LOST');
      expect(await failureCode(store.resume(service))).toBe('STATE_LOST');
      const token = await store.acquireResumeLock(30_000);
      expect(typeof token).toBe('string');
      expect(await store.releaseResumeLock(token ?? '')).toBe(true);
      expect(await store.getLastReport()).toBeNull();

      expect(await store.initialize({ services: [service], paused: [] })).toBe(true);
      // The refused pause was not written.
      expect(await store.getStates([service])).toMatchObject([{ service, state: 'ACTIVE', reason: null }]);
    });

    it('initialize: every service written ACTIVE, the paused ones PAUSED with their reason; only once', async () => {
      const store = await makeStore();
      const healthy = uniqueService('healthy');
      const paused = uniqueService('paused');
      expect(
        await store.initialize({ services: [healthy, paused], paused: [{ service: paused, reason: 'Circuit breaker open for x' }] }),
      ).toBe(true);
      expect(await store.getStates([healthy, paused])).toMatchObject([
        { service: healthy, state: 'ACTIVE', reason: null },
        { service: paused, state: 'PAUSED', reason: 'Circuit breaker open for x' },
      ]);
      // Written out, so a raw read (`HGETALL queue_status`) lists every service.
      expect(await stored(store, healthy)).toBe('ACTIVE');
      expect(await stored(store, paused)).toBe('PAUSED');

      expect(await store.initialize({ services: [healthy], paused: [{ service: healthy, reason: 'late' }] })).toBe(false);
      expect(await store.getStates([healthy])).toMatchObject([{ state: 'ACTIVE' }]);
    });

    caseNeeding(
      api,
      options.localView,
      'localView: knows nothing while the store holds no state; then, whenever it answers, what getStates answers, for as long as the store lives',
      async () => {
        const unset = await makeStore();
        if (!unset.localView) throw new Error('declared localView: true, but the store has no localView');
        const service = uniqueService('view');
        const clock = () => performance.now();
        expect(unset.localView(service).peek(clock)).toBe(undefined);
        const store = await ready();
        // Taken once, before anything is written, as the engine takes it: it must follow every change after.
        const view = store.localView!(service);
        const steps: [string, () => Promise<unknown>][] = [
          ['read', () => store.getStates([service])],
          ['pause', () => store.pause(service, 'Circuit breaker open for it')],
          ['resume', () => store.resume(service)],
        ];
        for (const [step, run] of steps) {
          await run();
          const known = view.peek(clock);
          // A view taken now answers as the one taken before anything was written.
          expect({ step, later: store.localView!(service).peek(clock) }).toEqual({ step, later: known });
          if (known === undefined) continue;
          const [state] = await store.getStates([service]);
          expect({ step, state: known }).toEqual({ step, state: state?.state });
        }
      },
    );

    it('a service never paused is ACTIVE with no reason', async () => {
      const store = await ready();
      const service = uniqueService('fresh');
      expect(await store.getStates([service])).toMatchObject([{ service, state: 'ACTIVE', reason: null }]);
      expect([null, 'ACTIVE']).toContain(await stored(store, service));
    });

    it('pause: ACTIVE → PAUSED with its reason; pausing again changes nothing and keeps the first reason', async () => {
      const store = await ready();
      const service = uniqueService('pause');
      expect(await store.pause(service, 'Circuit breaker open for apollo')).toBe(true);
      expect(await store.getStates([service])).toMatchObject([{ service, state: 'PAUSED', reason: 'Circuit breaker open for apollo' }]);
      expect(await stored(store, service)).toBe('PAUSED');

      expect(await store.pause(service, 'a second reason')).toBe(false);
      expect(await store.getStates([service])).toMatchObject([{ state: 'PAUSED', reason: 'Circuit breaker open for apollo' }]);
    });

    it('resume: PAUSED → ACTIVE with the reason cleared; resuming an active queue changes nothing', async () => {
      const store = await ready();
      const service = uniqueService('resume');
      expect(await store.resume(service)).toBe(false);
      await store.pause(service, 'why');
      expect(await store.resume(service)).toBe(true);
      expect(await store.getStates([service])).toMatchObject([{ service, state: 'ACTIVE', reason: null }]);
      expect(await stored(store, service)).toBe('ACTIVE');
      expect(await store.resume(service)).toBe(false);

      // A resumed queue can be paused again, with the new reason.
      expect(await store.pause(service, 'again')).toBe(true);
      expect(await store.getStates([service])).toMatchObject([{ state: 'PAUSED', reason: 'again' }]);
    });

    it('getStates returns the states in the order given, each service on its own', async () => {
      const store = await ready();
      const [a, b, c] = [uniqueService('a'), uniqueService('b'), uniqueService('c')];
      await store.pause(b, 'b is down');
      await store.pause(c, 'c is down');
      await store.resume(c);
      const states = await store.getStates([c, a, b]);
      expect(states.map((s) => [s.service, s.state, s.reason])).toEqual([
        [c, 'ACTIVE', null],
        [a, 'ACTIVE', null],
        [b, 'PAUSED', 'b is down'],
      ]);
      expect(await store.getStates([])).toEqual([]);
    });

    it('resume lock: one holder at a time; only its token renews or releases it', async () => {
      const store = await ready();
      expect(await store.isResumeLocked()).toBe(false);
      const token = await store.acquireResumeLock(30_000);
      expect(typeof token).toBe('string');
      if (token === null) throw new Error('the lock was not acquired');
      expect(await store.isResumeLocked()).toBe(true);
      expect(await store.acquireResumeLock(30_000)).toBeNull();

      expect(await store.renewResumeLock('not-the-token', 30_000)).toBe(false);
      expect(await store.releaseResumeLock('not-the-token')).toBe(false);
      expect(await store.isResumeLocked()).toBe(true);

      expect(await store.renewResumeLock(token, 30_000)).toBe(true);
      expect(await store.releaseResumeLock(token)).toBe(true);
      expect(await store.isResumeLocked()).toBe(false);
      expect(await store.releaseResumeLock(token)).toBe(false);
      expect(await store.renewResumeLock(token, 30_000)).toBe(false);

      const next = await store.acquireResumeLock(30_000);
      expect(typeof next).toBe('string');
      expect(next).not.toBe(token);
      await store.releaseResumeLock(next ?? '');
    });

    it('concurrency: of 20 concurrent lock requests exactly one gets a token', async () => {
      const store = await ready();
      const tokens = await Promise.all(Array.from({ length: 20 }, () => store.acquireResumeLock(30_000)));
      const granted = tokens.filter((t): t is string => t !== null);
      expect(granted).toHaveLength(1);
      expect(await store.releaseResumeLock(granted[0] ?? '')).toBe(true);
    });

    it('the lock expires after its TTL; the old token then neither renews nor releases the new holder', async () => {
      const store = await ready();
      const old = await store.acquireResumeLock(150);
      expect(typeof old).toBe('string');
      await sleep(300);
      expect(await store.isResumeLocked()).toBe(false);
      expect(await store.renewResumeLock(old ?? '', 30_000)).toBe(false);

      const fresh = await store.acquireResumeLock(30_000);
      expect(typeof fresh).toBe('string');
      expect(fresh).not.toBe(old);
      expect(await store.releaseResumeLock(old ?? '')).toBe(false);
      expect(await store.isResumeLocked()).toBe(true);
      expect(await store.releaseResumeLock(fresh ?? '')).toBe(true);
    }, 10_000);

    it('renewing extends the lock past its first TTL', async () => {
      const store = await ready();
      const token = await store.acquireResumeLock(150);
      await sleep(50);
      expect(await store.renewResumeLock(token ?? '', 2_000)).toBe(true);
      await sleep(250);
      expect(await store.isResumeLocked()).toBe(true);
      expect(await store.acquireResumeLock(30_000)).toBeNull();
      expect(await store.releaseResumeLock(token ?? '')).toBe(true);
    }, 10_000);

    it('last report: none at first, then the saved report round-trips field for field and the newest replaces it', async () => {
      const store = await ready();
      expect(await store.getLastReport()).toBeNull();
      const report = partialResume();
      await store.saveLastReport(report);
      report.jobsResumed = 0; // what was saved is a copy, not the caller's object
      report.campaignResumeErrors.push('Campaign 1: changed after the save');
      expect(await store.getLastReport()).toEqual(partialResume());

      const next = cleanResume();
      await store.saveLastReport(next);
      expect(await store.getLastReport()).toEqual(next);
    });

    it("last report: a stored value that is not a report (another program's, an older version's) reads as none", async () => {
      const write = options.writeRawLastReport;
      if (!write) return;
      const store = await ready();
      const { campaignJobsResumed: _added, ...older } = cleanResume();
      const foreign = [
        'not json',
        '"a string"',
        '[]',
        '{}',
        JSON.stringify(older),
        JSON.stringify({ ...cleanResume(), jobsResumed: '15' }),
      ];
      for (const value of foreign) {
        await write(store, value);
        expect({ value, report: await store.getLastReport() }).toEqual({ value, report: null });
      }
      await store.saveLastReport(cleanResume());
      expect(await store.getLastReport()).toEqual(cleanResume());
    });
  });
}
