/**
 * How long a worker waits before claiming again after its claims keep failing (a store down): the poll
 * interval, doubled with every failure in a row, up to a ceiling, so an outage costs a few attempts and log
 * lines a minute rather than one every poll. Wake-ups (a resume, a new job) do not cut a wait short: they
 * would only fail again against the same store.
 */
export const MAX_CLAIM_BACKOFF_MS = 30_000;

export class PollBackoff {
  #failures = 0;

  constructor(private readonly pollIntervalMs: number) {}

  /** Failures in a row so far. */
  get failures(): number {
    return this.#failures;
  }

  /** One more failure: how long to wait before the next attempt. */
  failed(): number {
    this.#failures += 1;
    const doubled = this.pollIntervalMs * 2 ** (this.#failures - 1);
    return Math.max(this.pollIntervalMs, Math.min(MAX_CLAIM_BACKOFF_MS, doubled));
  }

  /** A claim went through: the failures in a row it ends (0 when there were none). */
  succeeded(): number {
    const ended = this.#failures;
    this.#failures = 0;
    return ended;
  }
}
