import { performance } from 'node:perf_hooks';

/**
 * What this process last saw of each key, served without a round trip while it is fresh.
 *
 * Fresh means: stored while the change subscriber was connected, not invalidated since (another
 * instance's change arrived over pub/sub), and younger than `maxAgeMs`, counted from when the read
 * that produced it was sent. So a change made elsewhere is seen once its message arrives, and never
 * later than `maxAgeMs` after it was made, even if the message is lost.
 *
 * Replies and pub/sub messages arrive on different connections, in no fixed order, so a reply may be
 * older than a message already applied. Every read takes a ticket first; its result is kept only if no
 * invalidation (of that key, or a disconnection) came after the ticket.
 *
 * Stale entries are kept as "last known" values, for the stores' `failOpen` mode only.
 */
export interface CacheTicket {
  readonly sequence: number;
  readonly takenAt: number;
}

/** One key's entry, changed in place and kept for the cache's lifetime, so a view can hold on to it. */
interface Entry<V> {
  /** undefined until a value is stored. */
  value: V | undefined;
  storedAt: number;
  stale: boolean;
}

/** What `fresh` answers for one key, without looking the key up again. */
export type CacheView<V> = (now?: () => number) => V | undefined;

export class NearCache<V> {
  private sequence = 0;
  /** The sequence number at which the subscriber (re)connected; null while it is not connected. */
  private connectedAt: number | null = null;
  private readonly entries = new Map<string, Entry<V>>();
  private readonly invalidatedAt = new Map<string, number>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  get connected(): boolean {
    return this.connectedAt !== null;
  }

  ticket(): CacheTicket {
    return { sequence: ++this.sequence, takenAt: this.clock() };
  }

  /**
   * The value if fresh, else undefined. `now` reads this cache's clock (a caller may hand one reading to several
   * caches); it is only read when there is a value to age.
   */
  fresh(key: string, now: () => number = this.clock): V | undefined {
    const entry = this.entries.get(key);
    return entry ? this.freshValue(entry, now) : undefined;
  }

  /** A live view of one key: `fresh(key)` for as long as this cache lives, the key looked up once (the hot path). */
  view(key: string): CacheView<V> {
    const entry = this.entry(key);
    return (now = this.clock) => this.freshValue(entry, now);
  }

  /** The last value seen, fresh or not (for answering while Redis is unreachable). */
  lastKnown(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Keeps a value read (or written) under `ticket`; it is only served as fresh if nothing invalidated it since. */
  store(key: string, value: V, ticket: CacheTicket): void {
    const upToDate =
      this.connectedAt !== null && ticket.sequence > this.connectedAt && ticket.sequence > (this.invalidatedAt.get(key) ?? 0);
    const entry = this.entry(key);
    // A result that is not up to date still beats nothing as a last-known value, but never replaces a fresher one.
    if (!upToDate && !entry.stale) return;
    entry.value = value;
    entry.storedAt = ticket.takenAt;
    entry.stale = !upToDate;
  }

  invalidate(key: string): void {
    this.invalidatedAt.set(key, ++this.sequence);
    const entry = this.entries.get(key);
    if (entry) entry.stale = true;
  }

  /** The subscriber is subscribed: from now on every change is announced. */
  markConnected(): void {
    this.connectedAt = ++this.sequence;
  }

  /** The subscriber lost its connection: messages may be missed, so nothing is fresh any more. */
  markDisconnected(): void {
    this.connectedAt = null;
    this.sequence++;
    for (const entry of this.entries.values()) entry.stale = true;
  }

  private freshValue(entry: Entry<V>, now: () => number): V | undefined {
    if (entry.stale || this.connectedAt === null) return undefined;
    if (now() - entry.storedAt >= this.maxAgeMs) return undefined;
    return entry.value;
  }

  private entry(key: string): Entry<V> {
    let entry = this.entries.get(key);
    // Stale until a value is stored: nothing to serve yet.
    if (!entry) this.entries.set(key, (entry = { value: undefined, storedAt: 0, stale: true }));
    return entry;
  }
}
