/**
 * Call timeouts, shared: calls to one service with the same `timeoutMs` (and the same caller's signal, when
 * they have one) that start within the same millisecond share one timer and one signal. A controller and a
 * timer per call cost more than the rest of the call path (creating an AbortSignal alone takes microseconds on
 * Node 20), and a worker hands its own signal to every job it runs.
 *
 * A shared deadline fires `JOIN_WINDOW_MS` after its own `timeoutMs`, so no call is cut short: each is
 * aborted between `timeoutMs` and `timeoutMs + 1` ms after it started (timer lateness aside). It aborts
 * its signal only if one of its calls is still running then; a call that finished before may therefore
 * see its signal abort at its deadline, or when the caller's signal aborts, as the other calls' signal: work
 * started with it should not outlive the call.
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { onCallerAbort } from './caller-abort.js';
import { CallTimeoutError } from './errors.js';

const JOIN_WINDOW_MS = 1;

/** A call under a deadline is over: its time is up (a CallTimeoutError), or its caller aborted (the caller's reason). */
export type TimeUp = (reason: unknown) => void;

export class SharedDeadline {
  readonly #controller = new AbortController();
  readonly #running = new Set<TimeUp>();
  readonly #timer: ReturnType<typeof setTimeout>;
  /** Stops hearing the caller's signal (the calls under this deadline share one). */
  readonly #stopHearing: (() => void) | undefined;
  /** Joined by calls that start before this (a `now` of CallDeadlines' clock). */
  readonly joinUntil: number;
  /** Another deadline has taken this one's place: no call joins it any more. */
  #superseded = false;
  #handedOut = false;

  /** `callerSignal`: the signal every call under this deadline was given, not aborted yet. */
  constructor(
    service: string,
    timeoutMs: number,
    startedAt: number,
    onExpired: (deadline: SharedDeadline) => void,
    callerSignal?: AbortSignal,
  ) {
    this.joinUntil = startedAt + JOIN_WINDOW_MS;
    this.#timer = setTimeout(() => {
      onExpired(this);
      this.#stopHearing?.();
      // Nothing left running: no signal aborts after its call.
      if (this.#running.size === 0) return;
      this.#end(new CallTimeoutError(service, timeoutMs));
    }, timeoutMs + JOIN_WINDOW_MS);
    // The caller's abort ends every call still running, with its reason; no call joins this deadline after it.
    this.#stopHearing =
      callerSignal &&
      onCallerAbort(callerSignal, (reason) => {
        onExpired(this);
        clearTimeout(this.#timer);
        this.#end(reason);
      });
  }

  #end(reason: unknown): void {
    this.#controller.abort(reason);
    for (const timeUp of this.#running) timeUp(reason);
    this.#running.clear();
  }

  /** The signal the calls under this deadline share (calls given a caller's signal share one per signal). */
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
    if (this.#superseded) this.#retire();
    else this.#timer.unref?.();
  }

  /** No call joins this deadline from now on; once none runs, its timer is of no use. */
  supersede(): void {
    this.#superseded = true;
    if (this.#running.size === 0) this.#retire();
  }

  #retire(): void {
    clearTimeout(this.#timer);
    this.#stopHearing?.();
  }
}

/** The deadlines taking calls now, by service, then by `timeoutMs`. */
type CurrentDeadlines = Map<string, Map<number, SharedDeadline>>;

export class CallDeadlines {
  /** For calls without a caller's signal. */
  readonly #current: CurrentDeadlines = new Map();
  /** For calls with one, apart for each signal. */
  readonly #currentBySignal = new WeakMap<AbortSignal, CurrentDeadlines>();

  /** `clock`: a monotonic clock in ms, only used to group calls that start together. */
  constructor(private readonly clock: () => number = () => performance.now()) {}

  /**
   * The deadline a call to `service` with `timeoutMs` starting now shares with the calls that started with it (with
   * the same `callerSignal`, which must not be aborted: such a call does not start).
   */
  deadlineFor(service: string, timeoutMs: number, callerSignal?: AbortSignal): SharedDeadline {
    let current = this.#current;
    if (callerSignal !== undefined) {
      let bySignal = this.#currentBySignal.get(callerSignal);
      if (bySignal === undefined) {
        bySignal = new Map();
        this.#currentBySignal.set(callerSignal, bySignal);
      }
      current = bySignal;
    }
    let byTimeout = current.get(service);
    if (byTimeout === undefined) {
      byTimeout = new Map();
      current.set(service, byTimeout);
    }
    const now = this.clock();
    let deadline = byTimeout.get(timeoutMs);
    if (deadline === undefined || now >= deadline.joinUntil) {
      deadline?.supersede();
      const deadlines = byTimeout;
      const onExpired = (expired: SharedDeadline) => {
        if (deadlines.get(timeoutMs) === expired) deadlines.delete(timeoutMs);
      };
      deadline = new SharedDeadline(service, timeoutMs, now, onExpired, callerSignal);
      byTimeout.set(timeoutMs, deadline);
    }
    return deadline;
  }
}
