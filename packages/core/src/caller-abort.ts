/**
 * Hears a caller's signal abort with one listener per signal, however many calls share it: a worker hands
 * its own signal to every job it runs, and a listener per call would trip Node's
 * MaxListenersExceededWarning past ten calls at once.
 */
type AbortCallback = (reason: unknown) => void;

const callbacksBySignal = new WeakMap<AbortSignal, Set<AbortCallback>>();

/** Calls `callback` with the signal's reason when it aborts; returns what stops that (call it once the call settles). */
export function onCallerAbort(signal: AbortSignal, callback: AbortCallback): () => void {
  let callbacks = callbacksBySignal.get(signal);
  if (!callbacks) {
    const registered = new Set<AbortCallback>();
    callbacks = registered;
    callbacksBySignal.set(signal, registered);
    // Stays for the signal's life: adding and removing it per call is what cost the most.
    signal.addEventListener(
      'abort',
      () => {
        callbacksBySignal.delete(signal);
        for (const registeredCallback of registered) registeredCallback(signal.reason);
      },
      { once: true },
    );
  }
  const set = callbacks;
  set.add(callback);
  return () => {
    set.delete(callback);
  };
}
