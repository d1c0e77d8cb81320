/**
 * No MaxListenersExceededWarning at any concurrency: a worker hands its own signal to every job it runs, and
 * hosts share theirs between calls, so nothing may add a listener per call to a shared signal.
 */
import { getEventListeners } from 'node:events';
import { InMemoryCampaignRepository, InMemoryCircuitBreakerStore, InMemoryQueueStore, createBreakwater } from '@breakwater/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from './support/wait-for';

const CONCURRENCY = 50;
let warnings: Error[] = [];
const collect = (warning: Error) => warnings.push(warning);
beforeEach(() => {
  warnings = [];
  process.on('warning', collect);
});
afterEach(() => {
  process.off('warning', collect);
});

/** Warnings are emitted on the next tick: give them the time to arrive before looking. */
const warningsSoFar = async () => {
  await new Promise((resolve) => setImmediate(resolve));
  return warnings.map((warning) => `${warning.name}: ${warning.message}`);
};

function inMemoryBreakwater() {
  const campaigns = new InMemoryCampaignRepository();
  const bw = createBreakwater({
    services: ['apollo'],
    breakerStore: new InMemoryCircuitBreakerStore(),
    queueStore: new InMemoryQueueStore(),
    campaigns,
    reconcileIntervalMs: 0,
  });
  return { bw, campaigns };
}

/** A gate every caller waits at until `size` of them are there: proof that they all run at once. */
function gate(size: number) {
  let arrived = 0;
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    get arrived() {
      return arrived;
    },
    async pass() {
      arrived += 1;
      if (arrived === size) open();
      await opened;
    },
  };
}

describe('abort listeners', () => {
  it(`a worker at concurrency ${CONCURRENCY} whose jobs all run at once, each listening to its signal as fetch does, raises no warning`, async () => {
    const { bw, campaigns } = inMemoryBreakwater();
    const campaign = await campaigns.createCampaign({ name: 'c', status: 'RUNNING' });
    for (let j = 0; j < CONCURRENCY; j += 1) await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
    const together = gate(CONCURRENCY);
    const worker = bw.createWorker({
      service: 'apollo',
      concurrency: CONCURRENCY,
      pollIntervalMs: 10,
      handler: async (_job, { signal }) => {
        signal.addEventListener('abort', () => {}, { once: true });
        await together.pass();
        return 'sent';
      },
    });
    await worker.start();
    try {
      await waitFor(async () => expect((await campaigns.countJobsByStatus()).COMPLETED).toBe(CONCURRENCY));
    } finally {
      await worker.stop();
    }
    expect(together.arrived).toBe(CONCURRENCY);
    expect(await warningsSoFar()).toEqual([]);
  });

  it.each([
    ['a timeout', { timeoutMs: 10_000 }],
    ["a caller's signal shared by every call", { signal: new AbortController().signal }],
    ["a timeout and a caller's shared signal", { timeoutMs: 10_000, signal: new AbortController().signal }],
    ['neither', {}],
  ])(`${CONCURRENCY} calls at once with %s, each listening to its signal, raise no warning`, async (_, options) => {
    const { bw } = inMemoryBreakwater();
    const together = gate(CONCURRENCY);
    const calls = Array.from({ length: CONCURRENCY }, () =>
      bw.breakers.execute(
        'apollo',
        async (signal) => {
          signal.addEventListener('abort', () => {}, { once: true });
          await together.pass();
          return 'ok';
        },
        options,
      ),
    );
    expect(await Promise.all(calls)).toHaveLength(CONCURRENCY);
    if ('signal' in options) expect(getEventListeners(options.signal, 'abort').length).toBeLessThanOrEqual(1);
    expect(await warningsSoFar()).toEqual([]);
  });
});
