import { describe, expect, it } from 'vitest';
import { MAX_CLAIM_BACKOFF_MS, PollBackoff } from './poll-backoff.js';

describe('PollBackoff', () => {
  it('doubles the poll interval with every failure in a row, up to the ceiling, and starts over after a success', () => {
    const backoff = new PollBackoff(200);
    expect([1, 2, 3, 4, 5].map(() => backoff.failed())).toEqual([200, 400, 800, 1_600, 3_200]);
    for (let i = 0; i < 20; i += 1) backoff.failed();
    expect(backoff.failed()).toBe(MAX_CLAIM_BACKOFF_MS);
    expect(backoff.succeeded()).toBe(26);
    expect(backoff.succeeded()).toBe(0);
    expect(backoff.failed()).toBe(200);
  });

  it('never waits less than the poll interval, even when that is above the ceiling', () => {
    expect(new PollBackoff(60_000).failed()).toBe(60_000);
  });
});
