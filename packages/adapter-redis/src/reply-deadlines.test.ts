import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReplyDeadlines } from './reply-deadlines.js';

/** A promise settled by hand, as a reply that comes whenever the test says. */
function reply<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** What a bounded promise came to so far: its value, its error's message, or 'pending'. */
function track<T>(promise: Promise<T>): { outcome: T | string } {
  const state: { outcome: T | string } = { outcome: 'pending' };
  promise.then(
    (value) => (state.outcome = value),
    (error: Error) => (state.outcome = `error: ${error.message}`),
  );
  return state;
}

const ignore = () => {};

describe('ReplyDeadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const deadlines = () => new ReplyDeadlines(100, () => Date.now());

  it('passes a reply that comes in time on, and never fails it afterwards', async () => {
    const bounded = deadlines();
    const answer = reply<string>();
    const result = track(bounded.bound(() => answer.promise, 'no reply', ignore));
    await vi.advanceTimersByTimeAsync(99);
    answer.resolve('OK');
    await vi.advanceTimersByTimeAsync(500);
    expect(result.outcome).toBe('OK');
  });

  it('fails an operation whose reply has not come within the timeout, not before', async () => {
    const bounded = deadlines();
    const result = track(bounded.bound(() => reply<string>().promise, 'no reply from Redis within 100 ms', ignore));
    await vi.advanceTimersByTimeAsync(99);
    expect(result.outcome).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(result.outcome).toBe('error: no reply from Redis within 100 ms');
  });

  it('gives each operation its own deadline, with replies in any order, from one timer', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const bounded = deadlines();
    const first = reply<number>();
    const second = reply<number>();
    const third = reply<number>();
    const results = [track(bounded.bound(() => first.promise, 'first timed out', ignore))];
    await vi.advanceTimersByTimeAsync(30);
    results.push(track(bounded.bound(() => second.promise, 'second timed out', ignore)));
    await vi.advanceTimersByTimeAsync(30);
    results.push(track(bounded.bound(() => third.promise, 'third timed out', ignore)));
    second.resolve(2);
    await vi.advanceTimersByTimeAsync(40); // t = 100: the first is due
    expect(results.map((r) => r.outcome)).toEqual(['error: first timed out', 2, 'pending']);
    third.resolve(3);
    first.resolve(1); // too late: it stays failed
    await vi.advanceTimersByTimeAsync(200);
    expect(results.map((r) => r.outcome)).toEqual(['error: first timed out', 2, 3]);
    // One timer for the three, and one more after the first fell due (for the third, still waiting then).
    expect(timers).toHaveBeenCalledTimes(2);
  });

  it('sets no timer per operation when replies come one after another', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const bounded = deadlines();
    for (let i = 0; i < 50; i++) {
      const answer = reply<number>();
      const bounding = bounded.bound(() => answer.promise, 'no reply', ignore);
      answer.resolve(i);
      expect(await bounding).toBe(i);
      await vi.advanceTimersByTimeAsync(1);
    }
    // One timer for all 50 (they took half the timeout); one more per timeout's length when calls go on longer.
    expect(timers).toHaveBeenCalledTimes(1);
  });

  it('tells onFailure of every failure before the caller hears of it: a timeout, a failed reply, a throw', async () => {
    const bounded = deadlines();
    const heard: string[] = [];
    const onFailure = (error: unknown) => heard.push((error as Error).message);
    const failing = reply<string>();
    const results = [
      track(bounded.bound(() => reply<string>().promise, 'timed out', onFailure)),
      track(bounded.bound(() => failing.promise, 'timed out', onFailure)),
      track(
        bounded.bound(
          () => {
            throw new Error('ERR wrong number of arguments');
          },
          'timed out',
          onFailure,
        ),
      ),
    ];
    failing.reject(new Error('READONLY'));
    await vi.advanceTimersByTimeAsync(100);
    expect(heard).toEqual(['ERR wrong number of arguments', 'READONLY', 'timed out']);
    expect(results.map((r) => r.outcome)).toEqual(['error: timed out', 'error: READONLY', 'error: ERR wrong number of arguments']);
  });

  it('passes a failed reply on as an Error', async () => {
    const bounded = deadlines();
    const failing = reply<string>();
    const asString = reply<string>();
    const failed = track(bounded.bound(() => failing.promise, 'no reply', ignore));
    const failedWithString = track(bounded.bound(() => asString.promise, 'no reply', ignore));
    failing.reject(new Error('NOSCRIPT'));
    asString.reject('connection reset');
    await vi.advanceTimersByTimeAsync(0);
    expect(failed.outcome).toBe('error: NOSCRIPT');
    expect(failedWithString.outcome).toBe('error: connection reset');
  });
});
