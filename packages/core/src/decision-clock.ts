// The module's own binding: the global `performance` is a getter, about a sixth of a reading on this hot path.
import { performance } from 'node:perf_hooks';

/**
 * The monotonic time of one breaker decision, read at most once however many stores ask for it. Stores whose
 * local knowledge ages (a near-cache) measure its age with it; on the hot path one clock read costs about as
 * much as the rest of the decision, so the breaker and the queue store share it, and a store that knows for
 * sure (in memory) never makes one.
 */
export class DecisionClock {
  #reading = Number.NaN;

  /** A new decision: the next `now()` reads the clock again. */
  start(): void {
    this.#reading = Number.NaN;
  }

  /** `performance.now()` as of this decision's first call (or of a later decision's). */
  readonly now = (): number => {
    if (Number.isNaN(this.#reading)) this.#reading = performance.now();
    return this.#reading;
  };
}
