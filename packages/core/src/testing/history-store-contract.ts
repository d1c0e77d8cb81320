/**
 * The HistoryStore contract: appends keep every entry as given, in order, with growing ids; `list` pages
 * newest first through a cursor and filters by service, kind and time; `prune` enforces the retention.
 * `makeStore` must return an EMPTY store each time (a fresh table or a truncated one).
 */
import type { HistoryEntry, HistoryKind, NewHistoryEntry } from '../history/history-entry.js';
import type { HistoryStore } from '../ports.js';
import type { TestApi } from './test-api.js';

export interface HistoryStoreContractOptions {
  /** Counts the stored entries bypassing the adapter (e.g. `SELECT count(*)`), to check what was really written. */
  countRaw?: (store: HistoryStore) => Promise<number>;
}

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

function entry(overrides: Partial<NewHistoryEntry> = {}): NewHistoryEntry {
  return {
    at: T0,
    kind: 'breaker:opened',
    service: 'apollo',
    actor: null,
    reason: 'HTTP 503 from Apollo',
    details: { from: 'closed', failureCount: 5 },
    ...overrides,
  };
}

export function historyStoreContract(
  api: TestApi,
  makeStore: () => HistoryStore | Promise<HistoryStore>,
  options: HistoryStoreContractOptions = {},
): void {
  const { describe, it, expect } = api;

  /** Every entry, newest first, one page at a time of `limit`, following the cursor as `bw.history()` does. */
  async function everyPage(store: HistoryStore, limit: number, filter: { service?: string; kinds?: HistoryKind[] } = {}) {
    const pages: HistoryEntry[][] = [];
    let before: string | undefined;
    for (;;) {
      const page = await store.list({ ...filter, limit, ...(before === undefined ? {} : { before }) });
      if (page.length > 0) pages.push(page);
      if (page.length < limit) return pages;
      before = page[page.length - 1]?.id;
    }
  }

  async function stored(store: HistoryStore): Promise<number> {
    if (options.countRaw) return options.countRaw(store);
    return (await store.list({ limit: 1_000_000 })).length;
  }

  describe('HistoryStore contract', () => {
    it('append keeps every field as given; list returns them newest first with string ids that grow', async () => {
      const store = await makeStore();
      expect(await store.list({ limit: 10 })).toEqual([]);
      const opened = entry();
      const resumed = entry({
        at: T0 + 60_000,
        kind: 'resume:completed',
        service: null,
        actor: 'ada@example.com',
        reason: null,
        details: {
          resumeId: 'r-1',
          jobsResumed: 45,
          campaignResumeErrors: ['Campaign 12: Invalid campaign state transition'],
          blocked: [{ service: 'apollo', reason: 'open' }],
          dryRun: false,
          note: null,
        },
      });
      await store.append([opened]);
      await store.append([resumed]);

      const listed = await store.list({ limit: 10 });
      expect(listed).toHaveLength(2);
      expect(listed[0]).toMatchObject(resumed);
      expect(listed[1]).toMatchObject(opened);
      expect(listed[0]).toEqual({ ...resumed, id: listed[0]?.id });
      expect(typeof listed[0]?.id).toBe('string');
      expect(Number(listed[0]?.id)).toBeGreaterThan(Number(listed[1]?.id));
      expect(await stored(store)).toBe(2);
    });

    it('one append of several entries keeps their order', async () => {
      const store = await makeStore();
      const batch = ['breaker:opened', 'service:paused', 'breaker:tripped'].map((kind, i) =>
        entry({ kind: kind as HistoryKind, at: T0 + i }),
      );
      await store.append(batch);
      expect((await store.list({ limit: 10 })).map((found) => found.kind)).toEqual(['breaker:tripped', 'service:paused', 'breaker:opened']);
    });

    it('the cursor pages through everything exactly once, newest first', async () => {
      const store = await makeStore();
      await store.append(Array.from({ length: 23 }, (_, i) => entry({ at: T0 + i, reason: `failure ${i}` })));
      const pages = await everyPage(store, 5);
      expect(pages.map((page) => page.length)).toEqual([5, 5, 5, 5, 3]);
      const reasons = pages.flat().map((found) => found.reason);
      expect(reasons).toEqual(Array.from({ length: 23 }, (_, i) => `failure ${22 - i}`));
    });

    it('filters: a service (with what concerns every service), kinds, and a time to start from', async () => {
      const store = await makeStore();
      await store.append([
        entry({ service: 'apollo', at: T0 }),
        entry({ service: 'openai', at: T0 + 1, reason: 'quota exhausted' }),
        entry({ service: null, kind: 'resume:blocked', at: T0 + 2, reason: 'Cannot resume queue: …' }),
        entry({ service: 'apollo', kind: 'breaker:reset', at: T0 + 3, actor: 'ada', reason: null }),
        entry({ service: 'openai', kind: 'breaker:reset', at: T0 + 4, actor: 'bob', reason: null }),
      ]);
      const at = (list: HistoryEntry[]) => list.map((found) => found.at - T0);
      expect(at(await store.list({ service: 'apollo', limit: 10 }))).toEqual([3, 2, 0]);
      expect(at(await store.list({ kinds: ['breaker:reset'], limit: 10 }))).toEqual([4, 3]);
      expect(at(await store.list({ kinds: ['breaker:reset', 'resume:blocked'], service: 'openai', limit: 10 }))).toEqual([4, 2]);
      expect(at(await store.list({ since: T0 + 2, limit: 10 }))).toEqual([4, 3, 2]);
      expect(at(await store.list({ service: 'unknown', limit: 10 }))).toEqual([2]);
      // The cursor combines with the filters.
      expect((await everyPage(store, 1, { service: 'openai' })).flat().map((found) => found.at - T0)).toEqual([4, 2, 1]);
    });

    it('prune deletes what is older than the retention and keeps the rest', async () => {
      const store = await makeStore();
      await store.append([entry({ at: T0 - 3_600_000 }), entry({ at: T0 - 1 }), entry({ at: T0 }), entry({ at: T0 + 1 })]);
      expect(await store.prune(T0)).toBe(2);
      expect((await store.list({ limit: 10 })).map((found) => found.at - T0)).toEqual([1, 0]);
      expect(await store.prune(T0)).toBe(0);
      expect(await stored(store)).toBe(2);
    });

    it('appends from many callers at once are all kept, each with its own id', async () => {
      const store = await makeStore();
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.append([entry({ reason: `caller ${i}`, at: T0 + i })])));
      const listed = await store.list({ limit: 100 });
      expect(listed).toHaveLength(20);
      expect(new Set(listed.map((found) => found.id)).size).toBe(20);
      expect(new Set(listed.map((found) => found.reason)).size).toBe(20);
    });

    it('returns copies: editing a listed entry changes nothing stored', async () => {
      const store = await makeStore();
      await store.append([entry({ details: { blocked: ['apollo (open)'] } })]);
      const [listed] = await store.list({ limit: 1 });
      if (!listed) throw new Error('nothing listed');
      listed.reason = 'edited';
      (listed.details.blocked as string[]).push('edited');
      expect(await store.list({ limit: 1 })).toMatchObject([{ reason: 'HTTP 503 from Apollo', details: { blocked: ['apollo (open)'] } }]);
    });
  });
}
