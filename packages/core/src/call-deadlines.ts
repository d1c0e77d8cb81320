/**
 * Call timeouts, shared: calls to one service with the same `timeoutMs` that start within the same
 * millisecond share one timer and one signal. A controller and a timer per call cost more than the rest
 * of the call path (creating an AbortSignal alone takes microseconds on Node 20).
 *
 * A shared deadline fires `JOIN_WINDOW_MS` after its own `timeoutMs`, so no call is cut short: each is
 * aborted between `timeoutMs` and `timeoutMs + 1` ms after it started (timer lateness aside). It aborts
 * its signal only if one of its calls is still running then; a call that finished before may therefore
 * see its signal abort at its deadline, as the other calls' signal: work started with it should not
 * outlive `timeoutMs`.
 */
import { setMaxListeners } from 'node:events';
import { CallTimeoutError } from './errors.js';

const JOIN_WINDOW_MS = 1;

export type TimeUp = (reason: CallTimeoutError) => void;

export class SharedDeadline {
  readonly #controller = new AbortController();
  readonly #running = new Set<TimeUp>();
  readonly #timer: ReturnType<typeof setTimeout>;
  /** Joined by calls that start before this (a `now` of CallDeadlines' clock). */
  readonly joinUntil: number;
  /** Another deadline has taken this one's place: no call joins it any more. */
  #superseded = false;
  #handedOut = false;

  constructor(service: string, timeoutMs: number, startedAt: number, onExpired: (deadline: SharedDeadline) => void) {
    this.joinUntil = startedAt + JOIN_WINDOW_MS;
    this.#timer = setTimeout(() => {
      onExpired(this);
      // Nothing left running: no signal aborts after its call.
      if (this.#running.size === 0) return;
      const reason = new CallTimeoutError(service, timeoutMs);
      this.#controller.abort(reason);
      for (const timeUp of this.#running) timeUp(reason);
      this.#running.clear();
    }, timeoutMs + JOIN_WINDOW_MS);
  }

  /** The signal the calls under this deadline share (calls with a caller's signal too use one of their own). */
  get signal(): AbortSignal {
    const signal = this.#controller.signal;
    if (!this.#handedOut) {
      this.#handedOut = true;
      // Every call under this deadline may hand its signal on (a `fetch` each adds a listener): many listeners
      // here are many calls, not a leak, so no MaxListenersExceededWarning.
      setMaxListeners(0, signal);
    }
    return signal;
  }

  /** A call starts under this deadline; `timeUp` runs if it is still running when the time is up. */
  enter(timeUp: TimeUp): void {
    // The timer keeps the process alive only while a call waits on it, as a timer per call would.
    if (this.#running.size === 0) this.#timer.ref?.();
    this.#running.add(timeUp);
  }

  /** The call settled. */
  leave(timeUp: TimeUp): void {
    if (!this.#running.delete(timeUp) || this.#running.size > 0) return;
    if (this.#superseded) clearTimeout(this.#timer);
    else this.#timer.unref?.();
  }

  /** No call joins this deadline from now on; once none runs, its timer is of no use. */
  supersede(): void {
    this.#superseded = true;
    if (this.#running.size === 0) clearTimeout(this.#timer);
  }
}

export class CallDeadlines {
  readonly #current = new Map<string, Map<number, SharedDeadline>>();

  /** `clock`: a monotonic clock in ms, only used to group calls that start together. */
  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** The deadline a call to `service` with `timeoutMs` starting now shares with the calls that started with it. */
  deadlineFor(service: string, timeoutMs: number): SharedDeadline {
    let byTimeout = this.#current.get(service);
    if (byTimeout === undefined) {
      byTimeout = new Map();
      this.#current.set(service, byTimeout);
    }
    const now = this.clock();
    let deadline = byTimeout.get(timeoutMs);
    if (deadline === undefined || now >= deadline.joinUntil) {
      deadline?.supersede();
      const deadlines = byTimeout;
      deadline = new SharedDeadline(service, timeoutMs, now, (expired) => {
        if (deadlines.get(timeoutMs) === expired) deadlines.delete(timeoutMs);
      });
      byTimeout.set(timeoutMs, deadline);
    }
    return deadline;
  }
}
