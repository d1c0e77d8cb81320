/**
 * Runs parameterised SQL (`$1`, `$2`, …) on connections borrowed from the host's knex pool.
 *
 * Why not `knex.raw`: knex rewrites a failed query's error message to `<the SQL> - <message>`, and
 * resumeCampaigns reports the database's own message per campaign (`Campaign 12: <message>`), as the
 * document does. Borrowing the pool's pg connections keeps the host's pool, search path and limits.
 *
 * Given a knex transaction instead (e.g. `migrate(trx)` inside a knex migration), every query runs on
 * that transaction's connection and `transaction()` becomes a savepoint, so nothing commits early.
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
  /** knex's marker for a connection its pool must not hand out again. */
  __knex__disposed?: unknown;
}

/** knex's client: `acquireConnection` / `releaseConnection` are public on it, if typed loosely. */
interface KnexPoolClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
}

async function run<Row>(connection: PgConnection, sql: string, params: readonly unknown[]): Promise<SqlResult<Row>> {
  const result = await connection.query(sql, params);
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
}

export class PoolSql implements SqlRunner {
  readonly #client: KnexPoolClient;
  readonly #insideTransaction: boolean;
  /** Inside a host transaction there is one connection: savepoints must not interleave. */
  #savepoints: Promise<unknown> = Promise.resolve();

  constructor(knex: Knex) {
    this.#client = knex.client as KnexPoolClient;
    this.#insideTransaction = (knex as { isTransaction?: boolean }).isTransaction === true;
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
      await connection.query(rollback).catch((rollbackError: unknown) => {
        // The connection is in an unknown state (usually gone): the pool must drop it.
        connection.__knex__disposed = rollbackError;
      });
      throw error;
    }
  }

  async #withConnection<T>(work: (connection: PgConnection) => Promise<T>): Promise<T> {
    const connection = await this.#client.acquireConnection();
    try {
      return await work(connection);
    } catch (error) {
      // A connection that failed (rather than a statement) must not be handed out again: the pool
      // would only learn it from the socket's 'end' event, which can come after the next acquire.
      if (isConnectionFailure(error)) connection.__knex__disposed ??= error;
      throw error;
    } finally {
      await this.#client.releaseConnection(connection);
    }
  }
}
