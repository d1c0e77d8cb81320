import { describe, expect, it } from 'vitest';
import { historyStoreContract } from '../testing/index.js';
import { InMemoryHistoryStore } from './in-memory-history-store.js';

historyStoreContract({ describe, it, expect }, () => new InMemoryHistoryStore());

describe('InMemoryHistoryStore', () => {
  it('keeps at most maxEntries, dropping the oldest', async () => {
    const store = new InMemoryHistoryStore({ maxEntries: 3 });
    const at = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 5; i += 1) {
      await store.append([{ at: at + i, kind: 'breaker:opened', service: 'apollo', actor: null, reason: `${i}`, details: {} }]);
    }
    expect((await store.list({ limit: 10 })).map((entry) => entry.reason)).toEqual(['4', '3', '2']);
  });
});
