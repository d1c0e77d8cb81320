/**
 * Optional parts of a port (`subscribe`, `localView`) and the hooks a suite needs to provoke a failure
 * inside a store: each adapter must declare whether it has them. A suite never decides for the adapter that
 * something is missing, so a new adapter cannot pass with the cases that check it silently absent: the cases
 * run when it is declared, and are registered as skipped, named with the adapter's reason, when it is not.
 */
import type { TestApi } from './test-api.js';

export interface NotSupported {
  /** Why this adapter has no such thing (shown in the skipped case's name). */
  readonly notSupported: string;
}

/** Says the adapter has no such thing, and why: `subscribe: notSupported('no change feed across processes')`. */
export function notSupported(why: string): NotSupported {
  if (typeof why !== 'string' || why.trim() === '') throw new TypeError('notSupported(why) needs the reason, as text');
  return { notSupported: why };
}

/** `true` (or the hook itself) when the adapter has it, `notSupported(why)` when it does not. */
export type Capability<T = true> = T | NotSupported;

export function isNotSupported(value: unknown): value is NotSupported {
  return typeof value === 'object' && value !== null && typeof (value as NotSupported).notSupported === 'string';
}

/** Fails at registration when an option the suite needs declared is left out (JavaScript callers, or a cast). */
export function requireDeclared(suite: string, options: object, names: readonly string[]): void {
  for (const name of names) {
    const value = (options as Record<string, unknown>)[name];
    if (value === undefined || (value !== true && typeof value !== 'function' && !isNotSupported(value))) {
      throw new TypeError(`${suite}: declare option "${name}": what the adapter has, or notSupported('why it has none')`);
    }
  }
}

/** Registers the case as skipped, its name carrying the adapter's reason; a runner without `it.skip` lists it as passed. */
export function skippedCase(api: TestApi, name: string, reason: NotSupported): void {
  const label = `${name} (skipped: not supported by this adapter, ${reason.notSupported})`;
  if (api.it.skip) api.it.skip(label, () => {});
  else api.it(label, () => {});
}

/** The case when the adapter has what it needs, else the case skipped by name. */
export function caseNeeding(api: TestApi, capability: Capability<unknown>, name: string, fn: () => Promise<void>, timeout?: number): void {
  if (isNotSupported(capability)) skippedCase(api, name, capability);
  else api.it(name, fn, timeout);
}

/**
 * One case holding the declarations of optional methods to the adapter: each declared one is there, each
 * declared missing is really absent (core would otherwise call it untested).
 */
export function optionalMethodsCase(
  api: TestApi,
  make: () => object | Promise<object>,
  declared: Readonly<Record<string, Capability>>,
): void {
  const names = Object.keys(declared).join(', ');
  api.it(`its optional methods (${names}) are there exactly as declared`, async () => {
    const adapter = (await make()) as Record<string, unknown>;
    for (const [method, capability] of Object.entries(declared)) {
      const expected = isNotSupported(capability) ? 'undefined' : 'function';
      api.expect({ method, type: typeof adapter[method] }).toEqual({ method, type: expected });
    }
  });
}
