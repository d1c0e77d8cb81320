/**
 * Runs a call that can be aborted: by its timeout, by the caller's signal, or both (one of them at least). The
 * signal handed to `fn` aborts on either, and the call settles with the abort's reason at once, even if `fn`
 * ignores its signal. No listener per call is added to a signal that many calls share.
 */
import type { CallDeadlines, SharedDeadline } from './call-deadlines.js';
import { onCallerAbort } from './caller-abort.js';

export interface AbortableCallOptions {
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

export function runAbortable<T>(
  service: string,
  fn: (signal: AbortSignal) => Promise<T>,
  options: AbortableCallOptions,
  deadlines: CallDeadlines,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const { timeoutMs, signal: callerSignal } = options;
    const deadline: SharedDeadline | undefined = timeoutMs === undefined ? undefined : deadlines.deadlineFor(service, timeoutMs);
    // A caller's signal is often shared by many calls (a worker's, a request's): each call gets a signal of its
    // own, so the listeners `fn` adds (a `fetch` adds one) land there and not on the shared one.
    const own = callerSignal === undefined ? undefined : new AbortController();
    const signal = own?.signal ?? (deadline as SharedDeadline).signal;
    let settled = false;
    let stopListening: (() => void) | undefined;
    const settle = () => {
      settled = true;
      deadline?.leave(abort);
      stopListening?.();
    };
    const abort = (reason: unknown) => {
      if (settled) return;
      settle();
      own?.abort(reason);
      reject(reason);
    };
    if (callerSignal?.aborted) {
      // Aborted before it started: `fn` still gets its (aborted) signal, and the call ends with the reason.
      own?.abort(callerSignal.reason);
      settled = true;
    } else {
      deadline?.enter(abort);
      if (callerSignal) stopListening = onCallerAbort(callerSignal, abort);
    }
    let call: Promise<T>;
    try {
      call = Promise.resolve(fn(signal));
    } catch (error) {
      if (!settled) settle();
      reject(error);
      return;
    }
    if (settled) {
      // Aborted before it started: whatever `fn` makes of that comes too late.
      call.catch(() => {});
      reject(callerSignal?.reason);
      return;
    }
    call.then(
      (value) => {
        if (settled) return;
        settle();
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settle();
        reject(error);
      },
    );
  });
}
