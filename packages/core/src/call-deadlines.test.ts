import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallDeadlines } from './call-deadlines.js';
import { CallTimeoutError } from './errors.js';

let now = 0;
beforeEach(() => {
  now = 0;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CallDeadlines', () => {
  it('calls to one service with the same timeout starting within the same millisecond share one deadline', () => {
    const deadlines = new CallDeadlines(() => now);
    const first = deadlines.deadlineFor('apollo', 1_000);
    now = 0.9;
    expect(deadlines.deadlineFor('apollo', 1_000)).toBe(first);
    expect(deadlines.deadlineFor('apollo', 2_000)).not.toBe(first);
    expect(deadlines.deadlineFor('openai', 1_000)).not.toBe(first);
    now = 1;
    expect(deadlines.deadlineFor('apollo', 1_000)).not.toBe(first);
  });

  it('cuts no call short: the time is up one millisecond after timeoutMs, for every call still running', () => {
    const deadlines = new CallDeadlines(() => now);
    const deadline = deadlines.deadlineFor('apollo', 1_000);
    const timedOut: unknown[] = [];
    deadline.enter((reason) => timedOut.push(reason));
    vi.advanceTimersByTime(1_000);
    expect(timedOut).toEqual([]);
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(timedOut).toHaveLength(1);
    expect(timedOut[0]).toBeInstanceOf(CallTimeoutError);
    expect(timedOut[0]).toMatchObject({ service: 'apollo', timeoutMs: 1_000 });
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBe(timedOut[0]);
  });

  it('aborts nothing when every call under it finished in time', () => {
    const deadlines = new CallDeadlines(() => now);
    const deadline = deadlines.deadlineFor('apollo', 1_000);
    const timeUp = vi.fn();
    deadline.enter(timeUp);
    deadline.leave(timeUp);
    vi.advanceTimersByTime(5_000);
    expect(timeUp).not.toHaveBeenCalled();
    expect(deadline.signal.aborted).toBe(false);
  });

  it('keeps no timer once a deadline no call can join has no call left', () => {
    const deadlines = new CallDeadlines(() => now);
    const timeUp = vi.fn();
    const old = deadlines.deadlineFor('apollo', 1_000);
    old.enter(timeUp);
    now = 5;
    deadlines.deadlineFor('apollo', 1_000);
    expect(vi.getTimerCount()).toBe(2);
    old.leave(timeUp);
    expect(vi.getTimerCount()).toBe(1);
  });
});
