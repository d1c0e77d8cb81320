/**
 * Group commit for a worker's completions: a completion is written at once when no write is under way, and the
 * ones that finish while a write is under way go together in the next one. Under load a worker therefore writes
 * its completions in batches as large as what finished during one write, with no timer and no delay when idle.
 *
 * At-least-once is unchanged: until its write has returned, a completed job is still PROCESSING under its lease,
 * so a worker that dies before then has its job run again. `flush()` (on stop) writes whatever is waiting.
 *
 * The worker's next claim may carry the completions waiting at that moment instead (`take()`): they are then written
 * by the claim's statement, and put back for a write of their own if that statement fails (it changed nothing).
 */
import type { JobCompletion } from '../ports.js';

/** Writes one batch; one answer per completion, in order (false: the lease was lost). */
export type WriteCompletions = (batch: readonly JobCompletion[]) => Promise<boolean[]>;

interface Waiting {
  completion: JobCompletion;
  resolve: (written: boolean) => void;
  reject: (error: unknown) => void;
}

/** Completions per statement at most: a long outage's backlog goes out in bounded writes. */
export const MAX_COMPLETION_BATCH = 500;

/** Completions taken out to ride with a claim (`CompletionBatches.take`): settled once, whichever way. */
export interface TakenCompletions {
  readonly completions: readonly JobCompletion[];
  /** The claim's statement wrote them: one answer per completion, in order (false: the lease was lost). */
  written(answers: readonly boolean[]): void;
  /** The statement failed (so it wrote nothing): they wait for a write of their own. */
  giveBack(): void;
}

export class CompletionBatches {
  readonly #write: WriteCompletions;
  readonly #afterWrite: () => void;
  #waiting: Waiting[] = [];
  #writing: Promise<void> | null = null;
  /** Completions in the write under way. */
  #inFlight = 0;
  /** Completions riding with a claim (`take`), not yet settled. */
  #riding = 0;
  /** Settles when the last completions riding with a claim are settled (`flush` waits for it). */
  #rideOver: Promise<void> | null = null;
  #endRide: () => void = () => {};

  /** `afterWrite` runs after each batch, written or failed (the worker re-checks its free slots then). */
  constructor(write: WriteCompletions, afterWrite: () => void = () => {}) {
    this.#write = write;
    this.#afterWrite = afterWrite;
  }

  /** Completions handed in and not yet written (being written, or waiting for the next batch). */
  get unwritten(): number {
    return this.#waiting.length + this.#inFlight + this.#riding;
  }

  /**
   * The completions waiting for a write (none already being written), for the caller to write with another
   * statement; null when none is waiting. The caller must settle them, with `written` or `giveBack`.
   */
  take(): TakenCompletions | null {
    if (this.#waiting.length === 0) return null;
    const batch = this.#waiting.splice(0, MAX_COMPLETION_BATCH);
    this.#riding += batch.length;
    if (this.#rideOver === null) this.#rideOver = new Promise<void>((resolve) => (this.#endRide = resolve));
    let open = true;
    const settle = (then: () => void) => {
      if (!open) return;
      open = false;
      this.#riding -= batch.length;
      then();
      if (this.#riding === 0) {
        this.#rideOver = null;
        this.#endRide();
      }
      this.#afterWrite();
    };
    return {
      completions: batch.map((entry) => entry.completion),
      written: (answers) => settle(() => batch.forEach((entry, i) => entry.resolve(answers[i] === true))),
      giveBack: () =>
        settle(() => {
          this.#waiting.unshift(...batch);
          this.#scheduleWrite();
        }),
    };
  }

  /** Resolves once the completion is written: true if it was recorded, false if its lease had been lost. */
  add(completion: JobCompletion): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#waiting.push({ completion, resolve, reject });
      this.#scheduleWrite();
    });
  }

  /** Resolves once every completion handed in so far has been written (or has failed). */
  async flush(): Promise<void> {
    while (this.#writing !== null || this.#rideOver !== null) await (this.#writing ?? this.#rideOver);
  }

  #scheduleWrite(): void {
    // Completions that finish in the same turn of the event loop share the first write too. The write waits one turn
    // more: the worker claims at the end of the turn in which its jobs finished, and its claim takes them along.
    if (this.#writing === null)
      this.#writing = new Promise<void>((started) => setImmediate(() => setImmediate(started))).then(() => this.#drain());
  }

  async #drain(): Promise<void> {
    while (this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, MAX_COMPLETION_BATCH);
      this.#inFlight = batch.length;
      try {
        const written = await this.#write(batch.map((entry) => entry.completion));
        batch.forEach((entry, i) => entry.resolve(written[i] === true));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      } finally {
        this.#inFlight = 0;
        this.#afterWrite();
      }
    }
    this.#writing = null;
  }
}
