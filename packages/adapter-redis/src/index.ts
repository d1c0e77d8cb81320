export { RedisCircuitBreakerStore } from './redis-circuit-breaker-store.js';
export { RedisQueueStore } from './redis-queue-store.js';
export { RedisWorkerRegistry } from './redis-worker-registry.js';
export type { RedisWorkerRegistryOptions } from './redis-worker-registry.js';
export type { RedisStoreOptions } from './redis-store-options.js';
export type { RedisClient } from './redis-client.js';
export { DEFAULT_NEAR_CACHE_MAX_AGE_MS, DEFAULT_OPERATION_TIMEOUT_MS } from './redis-store-options.js';
export { keyLayout } from './key-layout.js';
export type { KeyLayout } from './key-layout.js';
