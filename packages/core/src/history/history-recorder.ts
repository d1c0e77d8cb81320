/**
 * Writes this process's events into the durable history, and enforces its retention.
 *
 * The history must never make a breaker call, a cascade or a resume fail (docs/reliability.md): it listens to
 * the events after the fact, queues the entries, and writes them in the background, one write at a time
 * (entries that queue up meanwhile go in the next write, in order). A write that fails is logged and emitted
 * as `store:error` (during `history`), and its entries are dropped: the operation they describe happened.
 * A store that stops answering makes the queue grow only up to a bound, past which the oldest entries go.
 */
import type { EventEmitter } from 'eventemitter3';
import type { BreakwaterEvents } from '../events.js';
import type { Logger } from '../logger.js';
import type { HistoryStore } from '../ports.js';
import { RECORDED_EVENTS, type RecordedEvent, historyEntryOf } from './history-entries.js';
import type { NewHistoryEntry } from './history-entry.js';

export interface HistoryRecorderDeps {
  store: HistoryStore;
  events: EventEmitter<BreakwaterEvents>;
  logger: Logger;
  clock: () => number;
  /** Entries older than this are pruned (at most once per `PRUNE_INTERVAL_MS` in each process). */
  retentionMs: number;
}

export const DEFAULT_HISTORY_RETENTION_MS = 30 * 24 * 3_600_000;
/** Pruning is one DELETE; once an hour keeps the table within about an hour of the retention. */
export const PRUNE_INTERVAL_MS = 3_600_000;
/** Entries waiting for a store that does not answer, at most; past this the oldest go. */
export const MAX_PENDING_ENTRIES = 1_000;
/** How long `close()` waits for the entries still queued. */
export const CLOSE_WAIT_MS = 1_000;

export class HistoryRecorder {
  readonly #deps: HistoryRecorderDeps;
  readonly #unsubscribers: (() => void)[] = [];
  #pending: NewHistoryEntry[] = [];
  #writing: Promise<void> | null = null;
  #lastPruneAt = -Infinity;
  #dropped = 0;

  constructor(deps: HistoryRecorderDeps) {
    this.#deps = deps;
  }

  start(): void {
    // Typed loosely here: historyEntryOf is typed per event, and each listener hands it its own event's payload.
    const events = this.#deps.events as unknown as EventEmitter<Record<RecordedEvent, [unknown]>>;
    for (const name of RECORDED_EVENTS) {
      const listener = (payload: unknown) => this.#record(name, payload as never);
      events.on(name, listener);
      this.#unsubscribers.push(() => events.off(name, listener));
    }
  }

  stop(): void {
    for (const unsubscribe of this.#unsubscribers.splice(0)) unsubscribe();
  }

  /** Resolves once every entry recorded so far is written (or its write has failed): what `bw.history()` reads after. */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  /** Stops listening, and waits for the entries still queued, but at most `waitMs`: a silent store must not hold a shutdown. */
  async close(waitMs = CLOSE_WAIT_MS): Promise<void> {
    this.stop();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const givenUp = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (this.#pending.length > 0 || this.#writing)
          this.#deps.logger.warn({ waitMs }, `Closing without waiting longer for the history store (${waitMs} ms)`);
        resolve();
      }, waitMs);
    });
    await Promise.race([this.flush(), givenUp]);
    clearTimeout(timer);
  }

  /** An event listener: it must never throw, or the emitter would throw into the operation that emitted. */
  #record(name: RecordedEvent, payload: never): void {
    try {
      const made = historyEntryOf(name, payload, this.#deps.clock());
      if (made === null) return;
      this.#pending.push(made);
      if (this.#pending.length > MAX_PENDING_ENTRIES)
        this.#dropped += this.#pending.splice(0, this.#pending.length - MAX_PENDING_ENTRIES).length;
      this.#startWriting();
    } catch (error) {
      this.#failed(error, `Could not record ${name} in the history`);
    }
  }

  #startWriting(): void {
    if (this.#writing) return;
    this.#writing = this.#writeAll().finally(() => {
      this.#writing = null;
      // Entries recorded after the loop's last look, before this ran.
      if (this.#pending.length > 0) this.#startWriting();
    });
  }

  async #writeAll(): Promise<void> {
    // Started from an event listener: let the operation that emitted go on first.
    await Promise.resolve();
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0);
      try {
        await this.#deps.store.append(batch);
      } catch (error) {
        this.#failed(error, `Could not write ${batch.length} entries to the history; they are lost`, batch[0]?.service ?? null);
        continue;
      }
      await this.#pruneWhenDue();
    }
    if (this.#dropped > 0) {
      this.#deps.logger.warn({ dropped: this.#dropped }, `The history store fell behind: ${this.#dropped} entries were dropped`);
      this.#dropped = 0;
    }
  }

  async #pruneWhenDue(): Promise<void> {
    const now = this.#deps.clock();
    if (now - this.#lastPruneAt < PRUNE_INTERVAL_MS) return;
    this.#lastPruneAt = now;
    try {
      const pruned = await this.#deps.store.prune(now - this.#deps.retentionMs);
      if (pruned > 0) this.#deps.logger.debug({ pruned }, `History: ${pruned} entries past the retention pruned`);
    } catch (error) {
      this.#failed(error, 'Could not prune the history; trying again in an hour');
    }
  }

  #failed(error: unknown, message: string, service: string | null = null): void {
    this.#deps.logger.error({ err: error }, message);
    this.#deps.events.emit('store:error', { error, during: 'history', service });
  }
}
