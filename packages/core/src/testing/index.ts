/**
 * `@breakwater/core/testing`: one contract suite per port. Every adapter, the in-memory ones
 * included, runs its suite in a few lines, against the real server for the real adapters:
 *
 *   circuitBreakerStoreContract({ describe, it, expect }, () => new RedisCircuitBreakerStore({ redis }), { localView: true });
 *
 * Each suite's options declare the port's optional parts the adapter has (`true`) or not
 * (`notSupported('why')`): a case that cannot run is skipped by name, never left out silently.
 *
 * This entry imports no test runner: the caller hands in its own test functions.
 */
export { circuitBreakerStoreContract } from './circuit-breaker-store-contract.js';
export type { CircuitBreakerStoreContractOptions } from './circuit-breaker-store-contract.js';
export { queueStoreContract } from './queue-store-contract.js';
export type { QueueStoreContractOptions } from './queue-store-contract.js';
export { campaignRepositoryContract } from './campaign-repository-contract.js';
export type { CampaignRepositoryContractOptions } from './campaign-repository-contract.js';
export { historyStoreContract } from './history-store-contract.js';
export type { HistoryStoreContractOptions } from './history-store-contract.js';
export { workerRegistryContract } from './worker-registry-contract.js';
export type { Expect, Matchers, TestApi } from './test-api.js';
export { notSupported } from './capability.js';
export type { Capability, NotSupported } from './capability.js';
