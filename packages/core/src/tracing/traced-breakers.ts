/**
 * `breakers.execute` in a span of its own (`breakwater.execute`), for hosts that ask for it
 * (`tracing: { execute: true }`): every other method goes straight to the engine. The engine itself is left
 * alone, so a host that does not ask pays nothing on its hottest path.
 */
import type { BreakerEngine } from '../breaker-engine.js';
import type { Breakers } from '../breakwater.js';
import type { Tracing } from './tracing.js';

export function withExecuteSpans(engine: BreakerEngine, tracing: Tracing): Breakers {
  return {
    shouldAllowRequest: (service) => engine.shouldAllowRequest(service),
    recordSuccess: (service) => engine.recordSuccess(service),
    recordFailure: (service, failure) => engine.recordFailure(service, failure),
    trip: (service, reason, options) => engine.trip(service, reason, options),
    reset: (service, options) => engine.reset(service, options),
    get: (service) => engine.get(service),
    list: () => engine.list(),
    execute: (service, fn, options) =>
      tracing.inSpan(
        'breakwater.execute',
        () => ({ 'breakwater.service': service }),
        () => engine.execute(service, fn, options),
      ),
  };
}
