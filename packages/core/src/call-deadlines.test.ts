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

  it("calls given the same caller's signal share a deadline of their own, apart from other signals and from none", () => {
    const deadlines = new CallDeadlines(() => now);
    const worker = new AbortController().signal;
    const shared = deadlines.deadlineFor('apollo', 1_000, worker);
    expect(deadlines.deadlineFor('apollo', 1_000, worker)).toBe(shared);
    expect(deadlines.deadlineFor('apollo', 1_000)).not.toBe(shared);
    expect(deadlines.deadlineFor('apollo', 1_000, new AbortController().signal)).not.toBe(shared);
  });

  it("the caller's abort ends every call under the deadline with its reason, and takes its timer", () => {
    const deadlines = new CallDeadlines(() => now);
    const worker = new AbortController();
    const deadline = deadlines.deadlineFor('apollo', 1_000, worker.signal);
    const ended: unknown[] = [];
    deadline.enter((reason) => ended.push(reason));
    deadline.enter((reason) => ended.push(reason));
    const reason = new Error('worker stopped');
    worker.abort(reason);
    expect(ended).toEqual([reason, reason]);
    expect(deadline.signal.reason).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("stops hearing the caller's signal once the deadline has no call and no call can join it", () => {
    const deadlines = new CallDeadlines(() => now);
    const worker = new AbortController();
    const old = deadlines.deadlineFor('apollo', 1_000, worker.signal);
    const timeUp = vi.fn();
    old.enter(timeUp);
    now = 5;
    deadlines.deadlineFor('apollo', 1_000, worker.signal);
    old.leave(timeUp);
    worker.abort(new Error('worker stopped'));
    expect(old.signal.aborted).toBe(false);
    expect(timeUp).not.toHaveBeenCalled();
  });
});
