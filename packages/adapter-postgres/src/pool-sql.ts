/**
 * Runs parameterised SQL (`$1`, `$2`, …) on pg connections borrowed from the host's knex pool.
 *
 * Why not `knex.raw`: knex rewrites a failed query's error message to `<the SQL> - <message>` (in every
 * query it runs, see knex's query-executioner.js; test/knex-boundary.test.ts pins it), and pg's error keeps
 * no other copy of the database's message, while resumeCampaigns reports that message per campaign
 * (`Campaign 12: <message>`), as the document does. So the statements run on the pg connection itself,
 * borrowed with `acquireConnection` / `releaseConnection`: knex's `Client` declares both public (the
 * query builder's `.connection()` takes "the same object that acquireConnection() returns"), though
 * its guide documents neither. Borrowing keeps the host's pool, search path and limits.
 *
 * Given a knex transaction instead (e.g. `migrate(trx)` inside a knex migration), knex's transaction
 * client hands out that transaction's connection, so every query runs in it and `transaction()` becomes
 * a savepoint: nothing commits early.
 */
import type { Knex } from 'knex';
import { isConnectionFailure } from './driver-errors.js';

export interface SqlResult<Row> {
  rows: Row[];
  /** Rows inserted, updated or deleted (or returned by a SELECT). */
  rowCount: number;
}

/** Something SQL can run on: the pool (each query its own transaction) or an open transaction. */
export interface SqlRunner {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
}

/** The part of a pg `Client` used here (pg ships no types; this keeps the peer dependency types-free). */
interface PgConnection {
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  end(): Promise<void>;
}

async function run<Row>(connection: PgConnection, sql: string, params: readonly unknown[]): Promise<SqlResult<Row>> {
  const result = await connection.query(sql, params);
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
}

export class PoolSql implements SqlRunner {
  readonly #client: Knex.Client;
  readonly #insideTransaction: boolean;
  /** Inside a host transaction there is one connection: savepoints must not interleave. */
  #savepoints: Promise<unknown> = Promise.resolve();

  constructor(knex: Knex) {
    this.#client = knex.client as Knex.Client;
    this.#insideTransaction = knex.isTransaction === true;
  }

  query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
    return this.#withConnection((connection) => run<Row>(connection, sql, params));
  }

  /** BEGIN … COMMIT on one connection (a savepoint inside a host transaction); rolled back when `work` throws. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    if (!this.#insideTransaction)
      return this.#withConnection((connection) => this.#atomically(connection, ['BEGIN', 'COMMIT', 'ROLLBACK'], work));
    const savepoint = ['SAVEPOINT breakwater', 'RELEASE SAVEPOINT breakwater', 'ROLLBACK TO SAVEPOINT breakwater'] as const;
    const result = this.#savepoints.then(() => this.#withConnection((connection) => this.#atomically(connection, savepoint, work)));
    this.#savepoints = result.catch(() => undefined);
    return result;
  }

  async #atomically<T>(
    connection: PgConnection,
    [begin, commit, rollback]: readonly [string, string, string],
    work: (tx: SqlRunner) => Promise<T>,
  ): Promise<T> {
    await connection.query(begin);
    try {
      const value = await work({ query: (sql, params = []) => run(connection, sql, params) });
      await connection.query(commit);
      return value;
    } catch (error) {
      // A connection that cannot even roll back is in an unknown state (usually gone): close it.
      await connection.query(rollback).catch(() => closeBroken(connection));
      throw error;
    }
  }

  async #withConnection<T>(work: (connection: PgConnection) => Promise<T>): Promise<T> {
    const connection = (await this.#client.acquireConnection()) as PgConnection;
    try {
      return await work(connection);
    } catch (error) {
      if (isConnectionFailure(error)) await closeBroken(connection);
      throw error;
    } finally {
      await this.#client.releaseConnection(connection);
    }
  }
}

/**
 * A connection that failed (rather than a statement) must not be handed out again. Ending it with pg's
 * own `end()` before it goes back makes sure of that: knex's pg dialect marks an ended connection and its
 * pool destroys it at the next acquire, where the socket's own 'end' could come after that acquire.
 */
async function closeBroken(connection: PgConnection): Promise<void> {
  await connection.end().catch(() => undefined);
}
