/** When a breaker opens and how it recovers. Durations are ms. */
export interface BreakerPolicy {
  /** Consecutive failures (closed) that open the breaker. */
  failureThreshold: number;
  /** How long an open breaker refuses calls before a probe may go through. */
  resetTimeoutMs: number;
  /** Probes let through at once while half_open. */
  halfOpenMaxProbes: number;
  /** Successful probes that close a half_open breaker. */
  successThreshold: number;
  /** Optional: also open when the failure rate over a window passes a threshold. */
  failureRate?: FailureRatePolicy;
}

/** A tumbling window: counts restart every `windowMs`. */
export interface FailureRatePolicy {
  /** Fraction of failed calls, in (0, 1], that opens the breaker. */
  threshold: number;
  /** Calls needed in the window before the rate is judged. */
  minimumRequests: number;
  windowMs: number;
}

export const DEFAULT_POLICY: BreakerPolicy = {
  failureThreshold: 5,
  resetTimeoutMs: 60_000,
  halfOpenMaxProbes: 1,
  successThreshold: 1,
};
