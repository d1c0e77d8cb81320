/** createWorker checks every option at once, naming it and what was expected. */
import { InMemoryCampaignRepository, InMemoryCircuitBreakerStore, InMemoryQueueStore, createBreakwater } from '@breakwater/core';
import { afterAll, describe, expect, it } from 'vitest';

const bw = createBreakwater({
  services: ['apollo'],
  breakerStore: new InMemoryCircuitBreakerStore(),
  queueStore: new InMemoryQueueStore(),
  campaigns: new InMemoryCampaignRepository(),
  reconcileIntervalMs: 0,
});
afterAll(() => bw.close());
const handler = async () => 'done';

describe('createWorker', () => {
  it.each([
    [{ concurency: 4 }, 'Unknown option "concurency" for createWorker (did you mean "concurrency"?)'],
    [{ pollInterval: 50 }, 'Unknown option "pollInterval" for createWorker (did you mean "pollIntervalMs"?)'],
    [{ concurrency: 0 }, 'Invalid option "concurrency": must be a positive integer'],
    [{ concurrency: '4' }, 'Invalid option "concurrency": must be a positive integer'],
    [{ timeoutMs: -1 }, 'Invalid option "timeoutMs": must be a positive integer of ms'],
    [{ timeoutMs: '100' }, 'Invalid option "timeoutMs": must be a positive integer of ms'],
    [{ leaseMs: 1_000, timeoutMs: 5_000 }, 'Invalid option "timeoutMs": must not exceed "leaseMs" (1000)'],
    [{ backoff: 100 }, 'Invalid option "backoff": must be a function'],
  ])('refuses %o', (extra, message) => {
    expect(() => bw.createWorker({ service: 'apollo', handler, ...(extra as object) })).toThrow(message);
  });

  it('refuses a missing handler and an unknown service', () => {
    expect(() => bw.createWorker({ service: 'apollo' } as never)).toThrow('Missing required option "handler"');
    // @ts-expect-error a typo the compiler refuses; the run-time check is for JavaScript callers and names read at run time
    expect(() => bw.createWorker({ service: 'apolo', handler })).toThrow('Unknown service: apolo');
  });
});
