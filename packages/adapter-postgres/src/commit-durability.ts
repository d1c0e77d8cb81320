/**
 * Which job writes wait for PostgreSQL to flush them to disk before they return (the repository's
 * `durableJobWrites` option). A write that does not wait commits with `synchronous_commit = off` for its own
 * transaction alone: it is visible to everyone at once, and on disk within a few hundred ms (the WAL writer's
 * round); only a crash of the PostgreSQL server in between forgets it. Any later write that does wait (a pause,
 * an enqueue) brings every earlier one to disk with it, the WAL being one sequence.
 *
 * The switch is a `set_config(…, true)` in the statement's own select list, so it lasts exactly as long as the
 * statement's implicit transaction: no session state (PgBouncer's transaction pooling keeps working), and never
 * inside a host's transaction (a repository built on a knex transaction always waits).
 */
import { sqlState } from './driver-errors.js';
import type { SqlRunner } from './pool-sql.js';

export type DurableJobWrites = 'all' | 'enqueues' | 'none';

export const DURABLE_JOB_WRITES: readonly DurableJobWrites[] = ['all', 'enqueues', 'none'];

/** A select-list item that lets its statement's transaction commit without waiting for the flush. */
const NO_FLUSH_WAIT = `set_config('synchronous_commit', 'off', true) AS "commitWithoutFlushWait"`;

/**
 * A statement that returns once the WAL is on disk up to its own commit, and so up to every commit before it (the WAL
 * is one sequence): a transactional logical message gives its transaction an id and a WAL record, so its commit
 * waits for the flush. Nothing else is written; logical decoding sees a message with the prefix `breakwater`.
 */
export const FLUSH_WAIT_SQL = `SELECT pg_logical_emit_message(true, 'breakwater', '')::text AS "flushedTo"`;

/** `function … does not exist` and `permission denied`: the server or the role does not offer the flush wait. */
const FLUSH_WAIT_REFUSED = new Set(['42883', '42501']);

export class CommitDurability {
  /** For claims and outcomes (complete, fail, re-pause, release): `, <item>` when they need not wait, else ''. */
  readonly progress: string;
  /** For enqueues: `, <item>` when they need not wait either, else ''. */
  readonly enqueue: string;
  /**
   * For an enqueue whose new jobs workers of this process take (`EnqueueOptions.claims`), while `handsOffEarly`:
   * `, <item>`, so it commits without waiting; `waitForFlush` then waits for the disk. The workers start while the
   * flush is under way, and the enqueue still returns once it is on disk.
   */
  readonly handoff: string;
  #handsOffEarly: boolean;

  constructor(setting: DurableJobWrites, commitsEachStatement: boolean) {
    const skip = (allowed: boolean) => (allowed && commitsEachStatement ? `, ${NO_FLUSH_WAIT}` : '');
    this.progress = skip(setting !== 'all');
    this.enqueue = skip(setting === 'none');
    this.handoff = skip(true);
    // With 'none' there is no flush to wait for; inside a host's transaction nothing commits here at all.
    this.#handsOffEarly = setting !== 'none' && commitsEachStatement;
  }

  /** Whether an enqueue with claims commits with `handoff` and then calls `waitForFlush`. */
  get handsOffEarly(): boolean {
    return this.#handsOffEarly;
  }

  /**
   * Returns once everything committed so far is on disk. A server without `pg_logical_emit_message` for this role
   * turns early handoffs off (with one process warning): later enqueues wait for the flush in their own statement.
   */
  async waitForFlush(sql: SqlRunner): Promise<void> {
    try {
      await sql.query(FLUSH_WAIT_SQL);
    } catch (error) {
      if (!FLUSH_WAIT_REFUSED.has(sqlState(error) ?? '')) throw error;
      if (this.#handsOffEarly) {
        this.#handsOffEarly = false;
        process.emitWarning(
          `PostgresCampaignRepository: could not wait for the disk flush after a job handoff (${error instanceof Error ? error.message : String(error)}); ` +
            'enqueues with a handoff now wait for it in their own statement. This enqueue is committed, but may not be on disk.',
          { code: 'BREAKWATER_EARLY_HANDOFF_OFF' },
        );
      }
      throw error;
    }
  }

  /** A `RETURNING` clause for an UPDATE or DELETE that returns nothing else. */
  returningProgress(): string {
    return this.progress === '' ? '' : ` RETURNING ${this.progress.slice(2)}`;
  }
}
