import { describe, expect, it } from 'vitest';
import { queueStoreContract } from '../testing/index.js';
import { InMemoryQueueStore } from './in-memory-queue-store.js';

queueStoreContract({ describe, it, expect }, () => new InMemoryQueueStore(), { localView: true });
