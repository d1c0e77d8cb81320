/**
 * The CircuitBreakerStore contract: every adapter, in-memory or remote, must behave as the pure
 * rules of `breaker-transitions.ts` say, atomically. Times are passed in (`now`), so no test waits.
 * Every test uses service names of its own. `makeStore` must return a store over state of its own that was
 * never set up (e.g. under a fresh key prefix): the suite checks that such a store refuses everything until
 * `initialize`, then initializes it itself.
 */
import { closedRecord } from '../breaker-transitions.js';
import type { FailureInput } from '../breaker-transitions.js';
import type { BreakerRecord } from '../domain.js';
import { isBreakwaterError } from '../errors.js';
import type { BreakerPolicy } from '../policy.js';
import type { CircuitBreakerStore } from '../ports.js';
import { type Capability, caseNeeding, optionalMethodsCase, requireDeclared } from './capability.js';
import type { TestApi } from './test-api.js';
import { uniqueService } from './unique-service.js';

export interface CircuitBreakerStoreContractOptions {
  /** `true` when the store has the synchronous `localView` (the engine's hot path), else `notSupported(why)`. */
  localView: Capability;
  /**
   * Reads the stored record back bypassing the adapter (e.g. `HGETALL circuit_breaker:<service>`).
   * The suite checks its `state` and `failure_count` fields, the names an operator reads.
   */
  readRaw?: (store: CircuitBreakerStore, service: string) => Promise<Record<string, unknown>>;
}

const basePolicy: BreakerPolicy = { failureThreshold: 3, resetTimeoutMs: 1_000, halfOpenMaxProbes: 1, successThreshold: 1 };

function policyWith(overrides: Partial<BreakerPolicy>): BreakerPolicy {
  return { ...basePolicy, ...overrides };
}

export function circuitBreakerStoreContract(
  api: TestApi,
  makeStore: () => CircuitBreakerStore | Promise<CircuitBreakerStore>,
  options: CircuitBreakerStoreContractOptions,
): void {
  requireDeclared('circuitBreakerStoreContract', options ?? {}, ['localView']);
  const { describe, it, expect } = api;
  const t0 = Date.now();

  /** A store set up with nothing paused: what every case but the setup ones starts from. */
  async function ready(): Promise<CircuitBreakerStore> {
    const store = await makeStore();
    expect(await store.initialize({ services: [], paused: [], now: t0 })).toBe(true);
    return store;
  }

  /** The error code a call failed with, or 'none'. */
  async function failureCode(call: Promise<unknown>): Promise<string> {
    try {
      await call;
      return 'none';
    } catch (error) {
      return isBreakwaterError(error) ? error.code : `not a BreakwaterError: ${String(error)}`;
    }
  }

  /** What was really stored: through the raw reader when there is one, else through the port. */
  async function stored(store: CircuitBreakerStore, service: string, now: number): Promise<{ state: string; failureCount: number }> {
    if (options.readRaw) {
      const raw = await options.readRaw(store, service);
      return { state: String(raw.state), failureCount: Number(raw.failure_count) };
    }
    const record = await store.get(service, now);
    return { state: record.state, failureCount: record.failureCount };
  }

  async function failTimes(
    store: CircuitBreakerStore,
    service: string,
    times: number,
    policy: BreakerPolicy,
    now: number,
    failure: FailureInput = {},
  ) {
    let last: Awaited<ReturnType<CircuitBreakerStore['recordFailure']>> | undefined;
    for (let i = 0; i < times; i++) last = await store.recordFailure(service, failure, policy, now);
    if (!last) throw new Error('failTimes needs at least one failure');
    return last;
  }

  /** An open breaker whose reset timeout has passed at `t0 + resetTimeoutMs`. */
  async function openBreaker(store: CircuitBreakerStore, service: string, policy: BreakerPolicy) {
    const opened = await failTimes(store, service, policy.failureThreshold, policy, t0, { reason: 'boom' });
    expect(opened.transition).toBe('opened');
    return opened.record;
  }

  describe('CircuitBreakerStore contract', () => {
    optionalMethodsCase(api, makeStore, { localView: options.localView });

    it('a store that was never set up (or lost its state) refuses every state method with STATE_LOST and writes nothing', async () => {
      const store = await makeStore();
      const service = uniqueService('unset');
      const policy = policyWith({ failureThreshold: 1 });
      expect(await failureCode(store.get(service, t0))).toBe('STATE_LOST');
      expect(await failureCode(store.list([service], t0))).toBe('STATE_LOST');
      expect(await failureCode(store.recordFailure(service, { reason: 'boom' }, policy, t0))).toBe('STATE_LOST');
      expect(await failureCode(store.recordSuccess(service, policy, t0))).toBe('STATE_LOST');
      expect(await failureCode(store.acquirePermit(service, policy, t0))).toBe('STATE_LOST');
      expect(await failureCode(store.trip(service, 'maintenance', policy, t0))).toBe('STATE_LOST');
      expect(await failureCode(store.reset(service, t0))).toBe('STATE_LOST');

      expect(await store.initialize({ services: [service], paused: [], now: t0 })).toBe(true);
      // Nothing the refused calls carried was written: the failure threshold of 1 would have opened it.
      expect(await store.get(service, t0)).toMatchObject({ service, state: 'closed', failureCount: 0, tripCount: 0 });
    });

    it('initialize: every service written closed with zero counts, the paused ones open and latched with their reason; only once', async () => {
      const store = await makeStore();
      const healthy = uniqueService('healthy');
      const paused = uniqueService('paused');
      const reason = 'Breaker state was lost while it was paused: reset it once healthy';
      expect(await store.initialize({ services: [healthy, paused], paused: [{ service: paused, reason }], now: t0 })).toBe(true);

      expect({ ...(await store.get(healthy, t0 + 1)), updatedAt: 0 }).toEqual(closedRecord(healthy, 0));
      expect(await stored(store, healthy, t0)).toEqual({ state: 'closed', failureCount: 0 });
      expect(await store.get(paused, t0 + 1)).toMatchObject({
        service: paused,
        state: 'open',
        latched: true,
        nextAttemptAt: null,
        openedAt: t0,
        lastFailureReason: reason,
        tripCount: 1,
      });
      expect(await stored(store, paused, t0)).toEqual({ state: 'open', failureCount: 0 });
      // Latched: no probe goes through, however long it waits; only a reset closes it.
      const policy = policyWith({ resetTimeoutMs: 10 });
      expect(await store.acquirePermit(paused, policy, t0 + 3_600_000)).toMatchObject({ allowed: false, reason: 'open' });

      // Set up already: a second initialize changes nothing.
      await store.recordFailure(healthy, { reason: 'one failure' }, policy, t0 + 2);
      expect(await store.initialize({ services: [healthy, paused], paused: [], now: t0 + 3 })).toBe(false);
      expect(await store.get(healthy, t0 + 4)).toMatchObject({ state: 'closed', failureCount: 1 });
      expect(await store.get(paused, t0 + 4)).toMatchObject({ state: 'open', latched: true });
      expect((await store.reset(paused, t0 + 5)).record).toMatchObject({ state: 'closed', latched: false, tripCount: 1 });
    });

    it('initialize, raced by many callers: exactly one sets the store up', async () => {
      const store = await makeStore();
      const service = uniqueService('race');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.initialize({ services: [service], paused: [{ service, reason: `caller ${i}` }], now: t0 }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(service, t0)).toMatchObject({ state: 'open', tripCount: 1 });
    });

    caseNeeding(
      api,
      options.localView,
      'localView: knows nothing while the store holds no state; then, whenever it answers, what get answers, for as long as the store lives',
      async () => {
        const unset = await makeStore();
        if (!unset.localView) throw new Error('declared localView: true, but the store has no localView');
        const service = uniqueService('view');
        const clock = () => performance.now();
        expect(unset.localView(service).peek(clock)).toBe(undefined);
        const store = await ready();
        // Taken once, before anything is written, as the engine takes it: it must follow every change after.
        const view = store.localView!(service);
        const policy = policyWith({ failureThreshold: 2, resetTimeoutMs: 10 });
        const steps: [string, () => Promise<unknown>][] = [
          ['read', () => store.get(service, t0)],
          ['failure', () => store.recordFailure(service, { reason: 'boom' }, policy, t0 + 1)],
          ['success', () => store.recordSuccess(service, policy, t0 + 2)],
          ['opening', () => failTimes(store, service, 2, policy, t0 + 3, { reason: 'down' })],
          ['probe', () => store.acquirePermit(service, policy, t0 + 20)],
          ['trip', () => store.trip(service, 'maintenance', policy, t0 + 21)],
          ['reset', () => store.reset(service, t0 + 22)],
        ];
        for (const [step, run] of steps) {
          await run();
          const known = view.peek(clock);
          // A view taken now answers as the one taken before anything was written.
          expect({ step, later: store.localView!(service).peek(clock) }).toEqual({ step, later: known });
          if (known === undefined) continue;
          const record = await store.get(service, t0 + 23);
          const expected = known === null ? closedRecord(service, t0 + 23) : { ...known };
          expect({ step, record }).toEqual({ step, record: expected });
        }
      },
    );

    it('get: a service never stored is closed with zero counts', async () => {
      const store = await ready();
      const service = uniqueService('fresh');
      const record = await store.get(service, t0);
      expect({ ...record, updatedAt: 0 }).toEqual(closedRecord(service, 0));
    });

    it('recordFailure: counts consecutive failures and opens exactly at the threshold', async () => {
      const store = await ready();
      const service = uniqueService('threshold');
      const policy = policyWith({ failureThreshold: 3, resetTimeoutMs: 1_000 });

      for (const expected of [1, 2]) {
        const result = await store.recordFailure(service, { reason: `failure ${expected}` }, policy, t0 + expected);
        expect(result.transition).toBeNull();
        expect(result.record.state).toBe('closed');
        expect(result.record.failureCount).toBe(expected);
        expect(await stored(store, service, t0)).toEqual({ state: 'closed', failureCount: expected });
      }
      const third = await store.recordFailure(service, { reason: 'failure 3' }, policy, t0 + 3);
      expect(third.transition).toBe('opened');
      expect(third.previousState).toBe('closed');
      expect(third.record).toMatchObject({
        service,
        state: 'open',
        failureCount: 3,
        openedAt: t0 + 3,
        nextAttemptAt: t0 + 3 + 1_000,
        lastFailureReason: 'failure 3',
        tripCount: 1,
        latched: false,
      });
      expect(await stored(store, service, t0)).toEqual({ state: 'open', failureCount: 3 });
      expect(await store.get(service, t0 + 4)).toMatchObject({ state: 'open', tripCount: 1, nextAttemptAt: t0 + 1_003 });
    });

    it('recordSuccess: a success while closed zeroes the consecutive failures', async () => {
      const store = await ready();
      const service = uniqueService('success');
      const policy = policyWith({ failureThreshold: 3 });
      await failTimes(store, service, 2, policy, t0);
      const success = await store.recordSuccess(service, policy, t0 + 1);
      expect(success.transition).toBeNull();
      expect(success.record).toMatchObject({ state: 'closed', failureCount: 0 });
      expect(await stored(store, service, t0)).toEqual({ state: 'closed', failureCount: 0 });

      const afterTwoMore = await failTimes(store, service, 2, policy, t0 + 2);
      expect(afterTwoMore.record).toMatchObject({ state: 'closed', failureCount: 2 });
      const noop = await store.recordSuccess(uniqueService('untouched'), policy, t0);
      expect(noop).toMatchObject({ transition: null, previousState: 'closed', record: { state: 'closed', failureCount: 0 } });
    });

    it('records are kept per service', async () => {
      const store = await ready();
      const [a, b] = [uniqueService('a'), uniqueService('b')];
      const policy = policyWith({ failureThreshold: 2 });
      await failTimes(store, a, 2, policy, t0);
      await store.recordFailure(b, {}, policy, t0);
      expect(await store.get(a, t0)).toMatchObject({ service: a, state: 'open', failureCount: 2 });
      expect(await store.get(b, t0)).toMatchObject({ service: b, state: 'closed', failureCount: 1 });
    });

    it('returns copies: editing a returned record changes nothing stored', async () => {
      const store = await ready();
      const service = uniqueService('copies');
      const result = await store.recordFailure(service, { reason: 'x' }, basePolicy, t0);
      result.record.failureCount = 99;
      result.record.state = 'open';
      const got = await store.get(service, t0);
      got.tripCount = 42;
      expect(await store.get(service, t0)).toMatchObject({ state: 'closed', failureCount: 1, tripCount: 0 });

      await store.recordSuccess(service, basePolicy, t0 + 1);
      const noop = await store.recordSuccess(service, basePolicy, t0 + 2); // a success that may skip the write
      noop.record.failureCount = 7;
      const [listed] = await store.list([service], t0 + 3);
      if (listed) listed.latched = true;
      expect(await store.get(service, t0 + 3)).toMatchObject({ state: 'closed', failureCount: 0, latched: false });
    });

    it('acquirePermit: closed lets every call through', async () => {
      const store = await ready();
      const permit = await store.acquirePermit(uniqueService('closed'), basePolicy, t0);
      expect(permit).toMatchObject({ allowed: true, reason: null, transition: null, previousState: 'closed' });
    });

    it('acquirePermit: open refuses before nextAttemptAt and half-opens from it', async () => {
      const store = await ready();
      const service = uniqueService('half-open');
      const policy = policyWith({ resetTimeoutMs: 1_000 });
      const opened = await openBreaker(store, service, policy);
      const nextAttemptAt = opened.nextAttemptAt ?? Number.NaN;
      expect(nextAttemptAt).toBe(t0 + 1_000);

      for (const now of [t0, t0 + 500, nextAttemptAt - 1]) {
        const refused = await store.acquirePermit(service, policy, now);
        expect(refused).toMatchObject({ allowed: false, reason: 'open', transition: null, record: { state: 'open' } });
      }
      const probe = await store.acquirePermit(service, policy, nextAttemptAt);
      expect(probe).toMatchObject({ allowed: true, reason: null, transition: 'half_opened', previousState: 'open' });
      expect(probe.record).toMatchObject({ state: 'half_open', probesInFlight: 1, successCount: 0, nextAttemptAt: nextAttemptAt + 1_000 });
      expect((await stored(store, service, nextAttemptAt)).state).toBe('half_open');
    });

    it('retryAfterMs holds an opening breaker open at least that long', async () => {
      const store = await ready();
      const service = uniqueService('retry-after');
      const policy = policyWith({ failureThreshold: 1, resetTimeoutMs: 1_000 });
      const opened = await store.recordFailure(service, { reason: '429', retryAfterMs: 5_000 }, policy, t0);
      expect(opened.transition).toBe('opened');
      expect(opened.record.nextAttemptAt).toBe(t0 + 5_000);
      expect((await store.acquirePermit(service, policy, t0 + 1_000)).allowed).toBe(false);
      expect((await store.acquirePermit(service, policy, t0 + 4_999)).allowed).toBe(false);
      expect(await store.acquirePermit(service, policy, t0 + 5_000)).toMatchObject({ allowed: true, transition: 'half_opened' });
    });

    it('retryAfterMs on an already open breaker pushes the next attempt out, never in', async () => {
      const store = await ready();
      const service = uniqueService('retry-after-open');
      const policy = policyWith({ failureThreshold: 1, resetTimeoutMs: 1_000 });
      await store.recordFailure(service, { reason: 'first' }, policy, t0);
      const pushed = await store.recordFailure(service, { reason: '429', retryAfterMs: 3_000 }, policy, t0 + 100);
      expect(pushed.transition).toBeNull();
      expect(pushed.record).toMatchObject({
        state: 'open',
        nextAttemptAt: t0 + 3_100,
        failureCount: 2,
        lastFailureReason: '429',
        tripCount: 1,
      });
      const notPulledIn = await store.recordFailure(service, { retryAfterMs: 10 }, policy, t0 + 200);
      expect(notPulledIn.record.nextAttemptAt).toBe(t0 + 3_100);
      expect((await store.acquirePermit(service, policy, t0 + 3_099)).allowed).toBe(false);
      expect((await store.acquirePermit(service, policy, t0 + 3_100)).allowed).toBe(true);
    });

    it('half_open lets at most halfOpenMaxProbes probes through, and hands out fresh ones when they go unanswered', async () => {
      const store = await ready();
      const service = uniqueService('probes');
      const policy = policyWith({ halfOpenMaxProbes: 2, resetTimeoutMs: 1_000 });
      await openBreaker(store, service, policy);
      const t1 = t0 + 1_000;

      expect(await store.acquirePermit(service, policy, t1)).toMatchObject({ allowed: true, transition: 'half_opened' });
      const second = await store.acquirePermit(service, policy, t1 + 1);
      expect(second).toMatchObject({ allowed: true, transition: null, record: { state: 'half_open', probesInFlight: 2 } });
      const third = await store.acquirePermit(service, policy, t1 + 2);
      expect(third).toMatchObject({ allowed: false, reason: 'half_open', record: { state: 'half_open', probesInFlight: 2 } });

      // The probes' callers never answered: after another reset timeout new probes go out.
      const stale = await store.acquirePermit(service, policy, t1 + 1_000);
      expect(stale).toMatchObject({ allowed: true, record: { state: 'half_open', probesInFlight: 1, nextAttemptAt: t1 + 2_000 } });
    });

    it('half_open closes after successThreshold successful probes, keeping the trip count', async () => {
      const store = await ready();
      const service = uniqueService('close');
      const policy = policyWith({ successThreshold: 2, halfOpenMaxProbes: 2, resetTimeoutMs: 1_000 });
      await openBreaker(store, service, policy);
      const t1 = t0 + 1_000;
      await store.acquirePermit(service, policy, t1);
      await store.acquirePermit(service, policy, t1);

      const first = await store.recordSuccess(service, policy, t1 + 10);
      expect(first).toMatchObject({ transition: null, record: { state: 'half_open', successCount: 1 } });
      const second = await store.recordSuccess(service, policy, t1 + 20);
      expect(second.transition).toBe('closed');
      expect(second.previousState).toBe('half_open');
      expect(second.record).toMatchObject({
        state: 'closed',
        failureCount: 0,
        successCount: 0,
        tripCount: 1,
        latched: false,
        probesInFlight: 0,
        nextAttemptAt: null,
        openedAt: null,
      });
      expect(await stored(store, service, t1 + 20)).toEqual({ state: 'closed', failureCount: 0 });
      expect((await store.acquirePermit(service, policy, t1 + 30)).allowed).toBe(true);
    });

    it('a failed probe reopens the breaker for a full reset timeout', async () => {
      const store = await ready();
      const service = uniqueService('reopen');
      const policy = policyWith({ resetTimeoutMs: 1_000 });
      await openBreaker(store, service, policy);
      const t1 = t0 + 1_000;
      await store.acquirePermit(service, policy, t1);

      const reopened = await store.recordFailure(service, { reason: 'probe failed' }, policy, t1 + 50);
      expect(reopened.transition).toBe('opened');
      expect(reopened.previousState).toBe('half_open');
      expect(reopened.record).toMatchObject({
        state: 'open',
        tripCount: 2,
        openedAt: t1 + 50,
        nextAttemptAt: t1 + 1_050,
        lastFailureReason: 'probe failed',
        probesInFlight: 0,
      });
      expect((await store.acquirePermit(service, policy, t1 + 1_049)).allowed).toBe(false);
      expect((await stored(store, service, t1 + 60)).state).toBe('open');
    });

    it('trip forces the breaker open and latched: it never half-opens by itself', async () => {
      const store = await ready();
      const service = uniqueService('trip');
      const policy = policyWith({ resetTimeoutMs: 1_000 });
      const tripped = await store.trip(service, 'maintenance', policy, t0);
      expect(tripped).toMatchObject({ transition: 'opened', previousState: 'closed' });
      expect(tripped.record).toMatchObject({
        state: 'open',
        latched: true,
        nextAttemptAt: null,
        lastFailureReason: 'maintenance',
        tripCount: 1,
        openedAt: t0,
      });
      expect((await stored(store, service, t0)).state).toBe('open');

      for (const later of [t0 + 1_000, t0 + 60_000, t0 + 365 * 24 * 3_600_000]) {
        expect(await store.acquirePermit(service, policy, later)).toMatchObject({
          allowed: false,
          reason: 'open',
          record: { state: 'open' },
        });
      }
      // A Retry-After cannot give a latched breaker a time to half-open either.
      const failure = await store.recordFailure(service, { retryAfterMs: 10 }, policy, t0 + 5);
      expect(failure.record).toMatchObject({ state: 'open', latched: true, nextAttemptAt: null });
    });

    it('trip on an open breaker latches it without a second opening', async () => {
      const store = await ready();
      const service = uniqueService('trip-open');
      const policy = policyWith({ resetTimeoutMs: 1_000 });
      await openBreaker(store, service, policy);
      const tripped = await store.trip(service, 'maintenance', policy, t0 + 10);
      expect(tripped).toMatchObject({
        transition: null,
        previousState: 'open',
        record: { state: 'open', latched: true, nextAttemptAt: null, tripCount: 1, lastFailureReason: 'maintenance' },
      });
      expect((await store.acquirePermit(service, policy, t0 + 10_000)).allowed).toBe(false);
    });

    it('reset closes the breaker and zeroes its counts, keeping the trip count', async () => {
      const store = await ready();
      const service = uniqueService('reset');
      const policy = policyWith({ failureThreshold: 2 });
      await failTimes(store, service, 5, policy, t0, { reason: 'boom' });
      await store.trip(service, 'maintenance', policy, t0 + 1);

      const reset = await store.reset(service, t0 + 2);
      expect(reset).toMatchObject({ transition: 'reset', previousState: 'open' });
      expect(reset.record).toEqual({ ...closedRecord(service, t0 + 2), tripCount: 1 });
      expect(await store.get(service, t0 + 3)).toMatchObject({ state: 'closed', failureCount: 0, latched: false, tripCount: 1 });
      expect(await stored(store, service, t0 + 3)).toEqual({ state: 'closed', failureCount: 0 });
      expect((await store.acquirePermit(service, policy, t0 + 3)).allowed).toBe(true);

      // After a reset the breaker trips again as a fresh one, and the history keeps counting.
      const again = await failTimes(store, service, 2, policy, t0 + 4);
      expect(again.record).toMatchObject({ state: 'open', tripCount: 2 });
    });

    it('the failure-rate window opens the breaker when the rate reaches its threshold', async () => {
      const store = await ready();
      const service = uniqueService('rate');
      const policy = policyWith({ failureThreshold: 100, failureRate: { threshold: 0.5, minimumRequests: 4, windowMs: 10_000 } });

      expect((await store.recordSuccess(service, policy, t0)).record).toMatchObject({
        windowStartedAt: t0,
        windowRequests: 1,
        windowFailures: 0,
      });
      expect((await store.recordFailure(service, {}, policy, t0 + 1)).transition).toBeNull();
      expect((await store.recordSuccess(service, policy, t0 + 2)).record).toMatchObject({ windowRequests: 3, windowFailures: 1 });
      const opened = await store.recordFailure(service, { reason: 'flaky' }, policy, t0 + 3);
      expect(opened.transition).toBe('opened');
      expect(opened.record).toMatchObject({ state: 'open', windowRequests: 4, windowFailures: 2, tripCount: 1, failureCount: 1 });
    });

    it('the failure-rate window is judged only on enough calls, and restarts when it runs out', async () => {
      const store = await ready();
      const service = uniqueService('window');
      const policy = policyWith({ failureThreshold: 100, failureRate: { threshold: 0.5, minimumRequests: 4, windowMs: 10_000 } });

      // Three calls, all failed: a 100 % rate, but below the minimum number of calls.
      await failTimes(store, service, 3, policy, t0);
      expect(await store.get(service, t0)).toMatchObject({ state: 'closed', windowRequests: 3, windowFailures: 3 });

      // The window has run out: counting starts over, so one more failure is 1 of 1, not 4 of 4.
      const restarted = await store.recordFailure(service, {}, policy, t0 + 10_000);
      expect(restarted.transition).toBeNull();
      expect(restarted.record).toMatchObject({ state: 'closed', windowStartedAt: t0 + 10_000, windowRequests: 1, windowFailures: 1 });
      await store.recordSuccess(service, policy, t0 + 10_001);
      await store.recordSuccess(service, policy, t0 + 10_002);
      const stillClosed = await store.recordSuccess(service, policy, t0 + 10_003);
      expect(stillClosed.record).toMatchObject({ state: 'closed', windowRequests: 4, windowFailures: 1 });
    });

    it('list returns the records in the order given', async () => {
      const store = await ready();
      const [a, b, c] = [uniqueService('a'), uniqueService('b'), uniqueService('c')];
      await store.trip(b, 'maintenance', basePolicy, t0);
      await store.recordFailure(c, {}, basePolicy, t0);
      const records = await store.list([c, a, b], t0);
      expect(records.map((r: BreakerRecord) => [r.service, r.state, r.failureCount])).toEqual([
        [c, 'closed', 1],
        [a, 'closed', 0],
        [b, 'open', 0],
      ]);
      expect(await store.list([], t0)).toEqual([]);
    });

    it('concurrency: of 50 concurrent failures past the threshold exactly one opens the breaker', async () => {
      const store = await ready();
      const service = uniqueService('race-open');
      const policy = policyWith({ failureThreshold: 5 });
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.recordFailure(service, { reason: `failure ${i}` }, policy, t0)),
      );

      const opened = results.filter((r) => r.transition === 'opened');
      expect(opened).toHaveLength(1);
      expect(opened[0]?.record.tripCount).toBe(1);
      expect(await store.get(service, t0)).toMatchObject({ state: 'open', tripCount: 1, failureCount: 50 });
      expect(await stored(store, service, t0)).toEqual({ state: 'open', failureCount: 50 });
    });

    it('concurrency: of 20 concurrent permits on an open breaker past its timeout exactly one probe goes through', async () => {
      const store = await ready();
      const service = uniqueService('race-probe');
      const policy = policyWith({ halfOpenMaxProbes: 1, resetTimeoutMs: 1_000 });
      await openBreaker(store, service, policy);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.acquirePermit(service, policy, t0 + 1_500)));

      expect(results.filter((r) => r.allowed)).toHaveLength(1);
      expect(results.filter((r) => r.transition === 'half_opened')).toHaveLength(1);
      expect(results.filter((r) => !r.allowed).every((r) => r.reason === 'half_open')).toBe(true);
      expect(await store.get(service, t0 + 1_500)).toMatchObject({ state: 'half_open', probesInFlight: 1 });
    });
  });
}
