/**
 * Runs a call that can be aborted: by its timeout, by the caller's signal, or both (one of them at least). The
 * signal handed to `fn` aborts on either, and the call settles with the abort's reason at once, even if `fn`
 * ignores its signal. No listener per call is added to a signal that many calls share, and `fn` never gets the
 * caller's signal itself (its listeners would pile up on a signal that lives as long as a worker).
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
    const abortedBefore = callerSignal?.aborted === true;
    // With a timeout, the call shares its deadline's signal, which the caller's abort aborts too (calls that share a
    // deadline share their caller's signal). Without one, or aborted before it starts, it gets a signal of its own.
    const deadline: SharedDeadline | undefined =
      timeoutMs === undefined || abortedBefore ? undefined : deadlines.deadlineFor(service, timeoutMs, callerSignal);
    const own = callerSignal === undefined || deadline !== undefined ? undefined : new AbortController();
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
    if (abortedBefore) {
      // Aborted before it started: `fn` still gets its (aborted) signal, and the call ends with the reason.
      own?.abort(callerSignal?.reason);
      settled = true;
    } else {
      deadline?.enter(abort);
      // Under a deadline, the deadline hears the caller's abort for all its calls.
      if (callerSignal && !deadline) stopListening = onCallerAbort(callerSignal, abort);
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
