/**
 * Where everything lives in Redis (docs/architecture.md#redis). Without a prefix the queue and
 * breaker keys are the plain names an operator checks (`HGETALL queue_status`,
 * `HGETALL circuit_breaker:apollo`, docs/manual-resume.md#checking-the-result); everything else lives
 * beside them or under `breakwater:`.
 */
export interface KeyLayout {
  /** Hash, field per service: `ACTIVE` / `PAUSED`, nothing else. */
  queueStatus: string;
  /** Hash, field per service: why it is paused (kept apart so `queue_status` holds only the states). */
  queueStatusReason: string;
  /** Hash, field per service: when its queue state last changed (ms since the epoch). */
  queueStatusUpdatedAt: string;
  /** Hash per service: `state`, `failure_count`, … and the rest of the record, in snake_case. */
  circuitBreaker(service: string): string;
  /** String: the resume lock's token, with a TTL. */
  resumeLock: string;
  /** String: the last resume report, as JSON. */
  lastResumeReport: string;
  /**
   * Strings: each store's state marker, set when the store is set up (its value: when, in ms since the epoch).
   * Gone means Redis lost what the store held (restarted without persistence, flushed, failed over to a
   * replica that had not caught up): the store then refuses to answer until core has rebuilt it.
   */
  breakerStateMarker: string;
  queueStateMarker: string;
  /** Hash, field per worker id: its last heartbeat, JSON (`RedisWorkerRegistry`). */
  workers: string;
  /** Sorted set, member per worker id: when its heartbeat goes stale (ms, the server's clock). */
  workersExpiry: string;
  /** Pub/sub channels. Channels are server-wide, not per database, so the database number is part of the name. */
  breakerChannel: string;
  queueChannel: string;
}

export function keyLayout(keyPrefix: string, db: number): KeyLayout {
  return {
    queueStatus: `${keyPrefix}queue_status`,
    queueStatusReason: `${keyPrefix}queue_status_reason`,
    queueStatusUpdatedAt: `${keyPrefix}queue_status_updated_at`,
    circuitBreaker: (service) => `${keyPrefix}circuit_breaker:${service}`,
    resumeLock: `${keyPrefix}breakwater:resume_lock`,
    lastResumeReport: `${keyPrefix}breakwater:last_resume_report`,
    breakerStateMarker: `${keyPrefix}breakwater:circuit_breaker_state`,
    queueStateMarker: `${keyPrefix}breakwater:queue_state`,
    workers: `${keyPrefix}breakwater:workers`,
    workersExpiry: `${keyPrefix}breakwater:workers_expiry`,
    breakerChannel: `${keyPrefix}breakwater:circuit_breaker_changes:db${db}`,
    queueChannel: `${keyPrefix}breakwater:queue_changes:db${db}`,
  };
}
