import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runAbortable } from './abortable-call.js';
import { CallDeadlines } from './call-deadlines.js';
import { CallTimeoutError } from './errors.js';

let deadlines: CallDeadlines;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  deadlines = new CallDeadlines(() => 0);
});
afterEach(() => {
  vi.useRealTimers();
});

/** A call that never settles by itself, and the signal it was handed. */
function hangingCall() {
  const seen: { signal: AbortSignal | null } = { signal: null };
  const fn = (signal: AbortSignal) => {
    seen.signal = signal;
    return new Promise<never>(() => {});
  };
  return { fn, seen };
}

describe('runAbortable', () => {
  it('on timeout: aborts the signal the call was handed and rejects with CallTimeoutError, even if the call ignores its signal', async () => {
    const { fn, seen } = hangingCall();
    const call = runAbortable('apollo', fn, { timeoutMs: 50 }, deadlines);
    const outcome = call.catch((error: unknown) => error);
    vi.advanceTimersByTime(51);
    const error = await outcome;
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(seen.signal?.aborted).toBe(true);
    expect(seen.signal?.reason).toBe(error);
  });

  it("on the caller's abort: aborts the call's signal and rejects with the caller's reason", async () => {
    for (const timeoutMs of [undefined, 1_000]) {
      const caller = new AbortController();
      const options = { signal: caller.signal, timeoutMs };
      const { fn, seen } = hangingCall();
      const call = runAbortable('apollo', fn, options, deadlines);
      const reason = new Error('worker stopped');
      caller.abort(reason);
      await expect(call).rejects.toBe(reason);
      expect(seen.signal?.aborted).toBe(true);
      expect(seen.signal?.reason).toBe(reason);
    }
  });

  it("with both, the timeout aborts the call's own signal and leaves the caller's alone", async () => {
    const caller = new AbortController();
    const { fn, seen } = hangingCall();
    const outcome = runAbortable('apollo', fn, { signal: caller.signal, timeoutMs: 50 }, deadlines).catch((error: unknown) => error);
    vi.advanceTimersByTime(51);
    expect(await outcome).toBeInstanceOf(CallTimeoutError);
    expect(seen.signal?.aborted).toBe(true);
    expect(caller.signal.aborted).toBe(false);
  });

  it('a caller signal aborted before the call: the call still gets its (aborted) signal, and ends with the reason', async () => {
    const caller = new AbortController();
    const reason = new Error('already stopped');
    caller.abort(reason);
    const { fn, seen } = hangingCall();
    await expect(runAbortable('apollo', fn, { signal: caller.signal, timeoutMs: 50 }, deadlines)).rejects.toBe(reason);
    expect(seen.signal?.aborted).toBe(true);
  });

  it("passes the call's own result and error through, and nothing aborts once it settled alone", async () => {
    let handed: AbortSignal | null = null;
    const value = await runAbortable(
      'apollo',
      async (signal) => {
        handed = signal;
        return 'leads';
      },
      { timeoutMs: 50 },
      deadlines,
    );
    expect(value).toBe('leads');
    const own = new Error('HTTP 503');
    await expect(runAbortable('apollo', () => Promise.reject(own), { timeoutMs: 50 }, deadlines)).rejects.toBe(own);
    vi.advanceTimersByTime(1_000);
    expect((handed as AbortSignal | null)?.aborted).toBe(false);
  });

  it('a call that throws before returning a promise rejects with what it threw', async () => {
    const own = new Error('bad input');
    const fn = () => {
      throw own;
    };
    await expect(runAbortable('apollo', fn, { timeoutMs: 50 }, deadlines)).rejects.toBe(own);
  });

  it("50 calls at once sharing a caller's signal add one listener to it", async () => {
    const caller = new AbortController();
    const calls = Array.from({ length: 50 }, () =>
      runAbortable('apollo', hangingCall().fn, { signal: caller.signal, timeoutMs: 50 }, deadlines),
    );
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    caller.abort();
    await Promise.allSettled(calls);
  });

  it("calls sharing a caller's signal and a timeout share one signal, not the caller's, and all end on its abort", async () => {
    const caller = new AbortController();
    const calls = Array.from({ length: 20 }, () => hangingCall());
    const outcomes = calls.map(({ fn }) =>
      runAbortable('apollo', fn, { signal: caller.signal, timeoutMs: 50 }, deadlines).catch((error: unknown) => error),
    );
    const handed = new Set(calls.map(({ seen }) => seen.signal));
    expect(handed.size).toBe(1);
    expect(handed.has(caller.signal)).toBe(false);
    const reason = new Error('worker stopped');
    caller.abort(reason);
    expect(await Promise.all(outcomes)).toEqual(calls.map(() => reason));
    expect([...handed][0]?.reason).toBe(reason);
  });
});
