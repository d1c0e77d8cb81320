/**
 * Wraps every method of a port so whatever an adapter throws reaches callers as a BreakwaterError. The one
 * place that wraps into StoreError: it sees every adapter (the host's own included) and knows the port and
 * method, so adapters throw their driver's errors as they are and nothing is wrapped twice.
 */
import { StoreError, isBreakwaterError } from './errors.js';

export interface GuardPortOptions {
  /**
   * A method failed with `StoreStateLostError` (nothing was changed): rebuild the store, then the call is
   * made once more. Without it, the error reaches the caller.
   */
  onStateLost?: () => Promise<void>;
}

/**
 * Returns an object with the same methods, each rethrowing non-Breakwater errors as
 * `StoreError(port, method, cause)`. Optional methods stay absent when the adapter lacks them.
 */
export function guardPort<T extends object>(
  portName: string,
  adapter: T,
  methods: readonly (keyof T & string)[],
  options: GuardPortOptions = {},
): T {
  const guarded: Record<string, unknown> = {};
  for (const method of methods) {
    if (typeof (adapter as Record<string, unknown>)[method] !== 'function') continue;
    const call = async (args: unknown[]) => {
      try {
        // Looked up per call, so a method replaced on the adapter later is the one that runs.
        const fn = (adapter as Record<string, (...a: unknown[]) => unknown>)[method] as (...a: unknown[]) => unknown;
        return await fn.apply(adapter, args);
      } catch (error) {
        throw isBreakwaterError(error) ? error : new StoreError(portName, method, error);
      }
    };
    const { onStateLost } = options;
    guarded[method] =
      onStateLost && method !== 'initialize'
        ? async (...args: unknown[]) => {
            try {
              return await call(args);
            } catch (error) {
              if (!isBreakwaterError(error) || error.code !== 'STATE_LOST') throw error;
              await onStateLost();
              return call(args);
            }
          }
        : (...args: unknown[]) => call(args);
  }
  // subscribe is synchronous and returns an unsubscribe function: pass it through untouched.
  const subscribe = (adapter as Record<string, unknown>).subscribe;
  if (typeof subscribe === 'function') guarded.subscribe = subscribe.bind(adapter);
  return guarded as T;
}
