import { describe, expect, it } from 'vitest';
import { workerRegistryContract } from '../testing/index.js';
import { InMemoryWorkerRegistry } from './in-memory-worker-registry.js';

workerRegistryContract({ describe, it, expect }, () => new InMemoryWorkerRegistry());
