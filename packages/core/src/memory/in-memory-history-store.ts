/**
 * The embedded HistoryStore: one process's history, kept in an array in id order. Enough for a single
 * process (and the reference behaviour for every other store); processes sharing state need a shared one
 * (`PostgresHistoryStore`). `maxEntries` bounds it besides the retention, since nothing else does here.
 */
import type { HistoryEntry, HistoryQuery, NewHistoryEntry } from '../history/history-entry.js';
import type { HistoryStore } from '../ports.js';

export interface InMemoryHistoryStoreOptions {
  /** The oldest entries go once there are more than this. Default 10000. */
  maxEntries?: number;
}

export class InMemoryHistoryStore implements HistoryStore {
  readonly #entries: HistoryEntry[] = [];
  readonly #maxEntries: number;
  #lastId = 0;

  constructor(options: InMemoryHistoryStoreOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  async append(entries: readonly NewHistoryEntry[]): Promise<void> {
    for (const entry of entries) this.#entries.push({ ...structuredClone(entry), id: String(++this.#lastId) });
    if (this.#entries.length > this.#maxEntries) this.#entries.splice(0, this.#entries.length - this.#maxEntries);
  }

  async list(query: HistoryQuery): Promise<HistoryEntry[]> {
    const before = query.before === undefined ? Infinity : Number(query.before);
    const found: HistoryEntry[] = [];
    for (let i = this.#entries.length - 1; i >= 0 && found.length < query.limit; i -= 1) {
      const entry = this.#entries[i] as HistoryEntry;
      if (Number(entry.id) >= before) continue;
      if (query.since !== undefined && entry.at < query.since) continue;
      if (query.service !== undefined && entry.service !== null && entry.service !== query.service) continue;
      if (query.kinds !== undefined && !query.kinds.includes(entry.kind)) continue;
      found.push(structuredClone(entry));
    }
    return found;
  }

  async prune(before: number): Promise<number> {
    const kept = this.#entries.filter((entry) => entry.at >= before);
    const pruned = this.#entries.length - kept.length;
    this.#entries.splice(0, this.#entries.length, ...kept);
    return pruned;
  }
}
