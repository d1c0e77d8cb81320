/** Settings that keep a test to a few seconds: ms-scale fake latency, fast polls and retries, no log output. */
import { type AppConfig, loadConfig } from '../../src/config.js';

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const base = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SIMULATED_LATENCY_MIN_MS: '1',
    SIMULATED_LATENCY_MAX_MS: '4',
    WORKER_CONCURRENCY: '5',
    WORKER_POLL_INTERVAL_MS: '20',
    RETRY_BACKOFF_MS: '20',
    FAILURE_THRESHOLD: '5',
    SEED_CAMPAIGNS: '0',
  });
  return { ...base, ...overrides };
}
