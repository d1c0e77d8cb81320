/**
 * Wraps every method of a port so whatever an adapter throws reaches callers as a BreakwaterError. The one
 * place that wraps into StoreError: it sees every adapter (the host's own included) and knows the port and
 * method, so adapters throw their driver's errors as they are and nothing is wrapped twice.
 */
import { StoreError, isBreakwaterError } from './errors.js';

export interface GuardPortOptions<T> {
  /**
   * A method failed with `StoreStateLostError` (nothing was changed): rebuild the store, then the call is
   * made once more. Without it, the error reaches the caller.
   */
  onStateLost?: () => Promise<void>;
  /**
   * Optional synchronous methods answering from what the adapter knows locally (`peek`): passed through
   * without an async wrapper, on the hot path. Their answer is a hint, so one that fails (or, wrongly, answers
   * with a promise) reads as "not known" and the caller takes the guarded methods.
   */
  fastPaths?: readonly (keyof T & string)[];
}

type AnyMethod = (...args: unknown[]) => unknown;

/**
 * Returns an object with the same methods, each rethrowing non-Breakwater errors as
 * `StoreError(port, method, cause)`. Optional methods stay absent when the adapter lacks them.
 */
export function guardPort<T extends object>(
  portName: string,
  adapter: T,
  methods: readonly (keyof T & string)[],
  options: GuardPortOptions<T> = {},
): T {
  const methodsOf = adapter as Record<string, unknown>;
  const guarded: Record<string, unknown> = {};
  const asBreakwaterError = (method: string, error: unknown) =>
    isBreakwaterError(error) ? error : new StoreError(portName, method, error);
  for (const method of methods) {
    if (typeof methodsOf[method] !== 'function') continue;
    // Looked up per call, so a method replaced on the adapter later is the one that runs.
    const call = (args: unknown[]) => (methodsOf[method] as AnyMethod).apply(adapter, args);
    const { onStateLost } = options;
    guarded[method] = async (...args: unknown[]) => {
      try {
        return await call(args);
      } catch (error) {
        const wrapped = asBreakwaterError(method, error);
        if (!onStateLost || method === 'initialize' || wrapped.code !== 'STATE_LOST') throw wrapped;
      }
      await onStateLost();
      try {
        return await call(args);
      } catch (error) {
        throw asBreakwaterError(method, error);
      }
    };
  }
  for (const method of options.fastPaths ?? []) {
    if (typeof methodsOf[method] !== 'function') continue;
    guarded[method] = (key: unknown, clock: unknown) => {
      try {
        const answer = (methodsOf[method] as AnyMethod).call(adapter, key, clock);
        if (!isPromiseLike(answer)) return answer;
        answer.then(undefined, () => {});
      } catch {
        // Not known: the caller asks the guarded methods, which report what failed.
      }
      return undefined;
    };
  }
  // subscribe is synchronous and returns an unsubscribe function: pass it through untouched.
  const subscribe = methodsOf.subscribe;
  if (typeof subscribe === 'function') guarded.subscribe = subscribe.bind(adapter);
  return guarded as T;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
