/**
 * The per-service claim fence and the set-based pause and resume of a service's jobs.
 *
 * The fence is one row per service. A pause updates it (a row lock) in the same transaction that moves
 * the PENDING jobs to PAUSED; claims and enqueues read it FOR SHARE in their own statement. So a claim
 * racing a pause either commits before the pause moves any job (and the pause leaves its jobs alone,
 * they are PROCESSING), or waits for the pause and then sees the fence up and claims nothing.
 */
import type { PoolSql, SqlRunner } from './pool-sql.js';
import type { SqlNames } from './schema-names.js';

export class ServiceFences {
  readonly #sql: PoolSql;
  readonly #names: SqlNames;
  readonly #chunkSize: number;
  readonly #concurrency: number;
  /** Services whose fence row is known to exist: FOR SHARE can only lock a row that is there. */
  readonly #ensured = new Map<string, Promise<void>>();

  constructor(sql: PoolSql, names: SqlNames, chunking: { chunkSize: number; concurrency: number }) {
    this.#sql = sql;
    this.#names = names;
    this.#chunkSize = chunking.chunkSize;
    this.#concurrency = chunking.concurrency;
  }

  /** Creates the service's fence row (down) if it is missing; once per service and instance. */
  ensure(service: string): Promise<void> {
    let ensured = this.#ensured.get(service);
    if (!ensured) {
      ensured = this.#sql.query(`INSERT INTO ${this.#names.fences} (service) VALUES ($1) ON CONFLICT (service) DO NOTHING`, [service]).then(
        () => undefined,
        (error: unknown) => {
          this.#ensured.delete(service);
          throw error;
        },
      );
      this.#ensured.set(service, ensured);
    }
    return ensured;
  }

  /** Cascade step 2, one transaction: fence up (upserted, so it exists and is locked), then PENDING → PAUSED. */
  async pauseJobs(service: string, reason: string): Promise<number> {
    const { fences, jobs, j } = this.#names;
    const paused = await this.#sql.transaction(async (tx: SqlRunner) => {
      await tx.query(
        `INSERT INTO ${fences} AS fence (service, paused, reason, epoch, updated_at) VALUES ($1, true, $2, 1, now())
         ON CONFLICT (service) DO UPDATE SET paused = true, reason = EXCLUDED.reason, epoch = fence.epoch + 1, updated_at = now()`,
        [service, reason],
      );
      const { rowCount } = await tx.query(
        `UPDATE ${jobs} SET ${j.status} = 'PAUSED', ${j.error} = $2, ${j.updatedAt} = now() WHERE ${j.service} = $1 AND ${j.status} = 'PENDING'`,
        [service, reason],
      );
      return rowCount;
    });
    this.#ensured.set(service, Promise.resolve());
    return paused;
  }

  /**
   * resumeQueue step 5: fence down, then PAUSED → PENDING one range of ids at a time, each range its own
   * statement, so no single transaction holds a million row locks; `concurrency` ranges run at once, on
   * as many pooled connections. A pause that starts meanwhile raises the fence again: the ranges not yet
   * started see it and stop, leaving the rest paused as that pause wants.
   */
  async resumeJobs(service: string): Promise<number> {
    await this.#sql.query(
      `UPDATE ${this.#names.fences} SET paused = false, reason = NULL, updated_at = now() WHERE service = $1 AND paused`,
      [service],
    );
    const ranges = await this.#chunkRanges(service);
    let resumed = 0;
    // Set when a range saw the fence up again, or failed: no further range starts.
    let stop = false;
    let next = 0;
    const runRanges = async () => {
      for (let range = ranges[next++]; range !== undefined && !stop; range = ranges[next++]) {
        try {
          const chunk = await this.#resumeRange(service, range);
          resumed += chunk.resumed;
          stop ||= chunk.fenced;
        } catch (error) {
          stop = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, ranges.length) }, runRanges));
    return resumed;
  }

  async #resumeRange(service: string, range: IdRange): Promise<{ fenced: boolean; resumed: number }> {
    const { fences, jobs, j } = this.#names;
    const params: unknown[] = [service];
    const bounds: string[] = [];
    if (range.after !== null) bounds.push(`AND ${j.id} > $${params.push(range.after)}`);
    if (range.upTo !== null) bounds.push(`AND ${j.id} <= $${params.push(range.upTo)}`);
    const { rows } = await this.#sql.query<{ fenced: boolean; resumed: number }>(
      `WITH fence AS (
         SELECT paused FROM ${fences} WHERE service = $1 FOR SHARE
       ), resumed AS (
         UPDATE ${jobs} SET ${j.status} = 'PENDING', ${j.error} = NULL, ${j.updatedAt} = now()
         WHERE ${j.service} = $1 AND ${j.status} = 'PAUSED' ${bounds.join(' ')}
           AND NOT COALESCE((SELECT paused FROM fence), false)
         RETURNING 1
       )
       SELECT COALESCE((SELECT paused FROM fence), false) AS fenced, (SELECT count(*) FROM resumed)::int AS resumed`,
      params,
    );
    return rows[0] ?? { fenced: false, resumed: 0 };
  }

  /**
   * Consecutive id ranges holding `chunkSize` paused jobs each (the last one open-ended, so jobs paused
   * after this read are covered too), read from the paused partial index in one pass.
   */
  async #chunkRanges(service: string): Promise<IdRange[]> {
    const { jobs, j } = this.#names;
    // ORDER BY the column, qualified: the bare name would be the text output column.
    const { rows } = await this.#sql.query<{ id: string }>(
      `SELECT numbered.id::text AS id FROM (
         SELECT job.${j.id} AS id, row_number() OVER (ORDER BY job.${j.id}) AS n
         FROM ${jobs} job WHERE job.${j.service} = $1 AND job.${j.status} = 'PAUSED'
       ) numbered WHERE numbered.n % $2 = 0 ORDER BY numbered.id`,
      [service, this.#chunkSize],
    );
    const ranges: IdRange[] = [];
    let after: string | null = null;
    for (const { id } of rows) {
      ranges.push({ after, upTo: id });
      after = id;
    }
    ranges.push({ after, upTo: null });
    return ranges;
  }
}

/** Ids in (after, upTo]; null is unbounded. */
interface IdRange {
  after: string | null;
  upTo: string | null;
}
