import { describe, expect, it } from 'vitest';
import { circuitBreakerStoreContract } from '../testing/index.js';
import { InMemoryCircuitBreakerStore } from './in-memory-circuit-breaker-store.js';

circuitBreakerStoreContract({ describe, it, expect }, () => new InMemoryCircuitBreakerStore(), { localView: true });
