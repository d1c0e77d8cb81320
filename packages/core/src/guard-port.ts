/**
 * Wraps every method of a port so whatever an adapter throws reaches callers as a BreakwaterError. The one
 * place that wraps port methods' failures into StoreError: it sees every adapter (the host's own included)
 * and knows the port and method, so adapters throw their driver's errors as they are and nothing is wrapped
 * twice. (Calls that are no port method, such as the Postgres adapter's `migrate`, wrap their own.)
 */
import { StoreError, isBreakwaterError } from './errors.js';

export interface GuardPortOptions<T> {
  /**
   * A method failed with `StoreStateLostError` (nothing was changed): rebuild the store, then the call is
   * made once more. Without it, the error reaches the caller.
   */
  onStateLost?: () => Promise<void>;
  /**
   * Optional synchronous methods answering from what the adapter knows locally (`localView`): passed through as
   * they are (bound to the adapter when the port is guarded), for the hot path. Their answer is a hint: the
   * caller reads one that throws, or answers anything unexpected (a promise), as "not known".
   */
  fastPaths?: readonly (keyof T & string)[];
}

type AnyMethod = (...args: unknown[]) => unknown;

/**
 * Returns an object with the same methods, each rethrowing non-Breakwater errors as
 * `StoreError(port, method, cause)`; the fast paths are the adapter's own. Optional methods stay absent when
 * the adapter lacks them.
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
    const fastPath = methodsOf[method];
    // Bound as they are, once: they run on every call, and a wrapper shared by every port's fast paths would
    // cost more than they do. Their callers read a failure, or any answer but the ones they expect, as "not known".
    if (typeof fastPath === 'function') guarded[method] = fastPath.bind(adapter);
  }
  // subscribe is synchronous and returns an unsubscribe function: pass it through untouched.
  const subscribe = methodsOf.subscribe;
  if (typeof subscribe === 'function') guarded.subscribe = subscribe.bind(adapter);
  return guarded as T;
}

/**
 * A fast path that wrongly answered with a promise: its answer is read as "not known", and a rejection of it must
 * not surface as an unhandled rejection. Called off the hot path, on answers that were not the expected ones.
 */
export function settleStrayAnswer(answer: unknown): void {
  if (typeof answer === 'object' && answer !== null && typeof (answer as { then?: unknown }).then === 'function') {
    (answer as PromiseLike<unknown>).then(undefined, () => {});
  }
}
