/**
 * Runs parameterised SQL (`$1`, `$2`, …) on pg connections borrowed from the host's knex pool.
 *
 * Why not `knex.raw`: knex rewrites a failed query's error message to `<the SQL> - <message>` (in every
 * query it runs, see knex's query-executioner.js; test/knex-boundary.test.ts pins it), and pg's error keeps
 * no other copy of the database's message, while resumeCampaigns reports that message per campaign
 * (`Campaign 12: <message>`), as docs/manual-resume.md shows. So the statements run on the pg connection itself,
 * borrowed with `acquireConnection` / `releaseConnection`: knex's `Client` declares both public (the
 * query builder's `.connection()` takes "the same object that acquireConnection() returns"), though
 * its guide documents neither. Borrowing keeps the host's pool, search path and limits.
 *
 * Given a knex transaction instead (e.g. `migrate(trx)` inside a knex migration), knex's transaction
 * client hands out that transaction's connection, so every query runs in it and `transaction()` becomes
 * a savepoint: nothing commits early.
 */
import type { Knex } from 'knex';
import { connectionTarget } from './connection-target.js';
import { isConnectionFailure } from './driver-errors.js';
import { PreparedStatementNames } from './prepared-statements.js';

/**
 * Every wait bounded (a silent server must not hang a resume or a cascade): the client gives up on a
 * statement after `statementTimeoutMs` (and a transaction's statements are also bounded on the server
 * with `SET LOCAL statement_timeout`), and on getting a connection after `connectTimeoutMs`. 0: no limit.
 */
export interface SqlTimeouts {
  statementTimeoutMs: number;
  connectTimeoutMs: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** What an error needs of knex's pool (tarn): whether it was still connecting, or every connection was in use. */
interface PoolGauges {
  max: number;
  numFree(): number;
  numPendingCreates(): number;
}

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
  query(config: {
    name?: string;
    text: string;
    values?: readonly unknown[];
    query_timeout?: number;
  }): Promise<{ rows: unknown[]; rowCount: number | null }>;
  end(): Promise<void>;
}

/** pg's own words when `query_timeout` passes: the statement may still be running on the server. */
const PG_READ_TIMEOUT = 'Query read timeout';

/** How long closing a broken connection may take before it is left to close on its own (a silent server never answers). */
const CLOSE_WAIT_MS = 1_000;

/** The client stopped waiting for a statement; the server may be alive and still running it. */
class StatementTimeoutError extends Error {}

async function run<Row>(
  connection: PgConnection,
  sql: string,
  params: readonly unknown[],
  timeoutMs: number,
  name?: string,
): Promise<SqlResult<Row>> {
  try {
    const result = await connection.query({
      ...(name === undefined ? {} : { name }),
      text: sql,
      values: params,
      ...(timeoutMs > 0 ? { query_timeout: timeoutMs } : {}),
    });
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  } catch (error) {
    if (error instanceof Error && error.message === PG_READ_TIMEOUT) {
      throw new StatementTimeoutError(`no answer from PostgreSQL within ${timeoutMs} ms (statementTimeoutMs)`, { cause: error });
    }
    throw error;
  }
}

export class PoolSql implements SqlRunner {
  readonly #client: Knex.Client;
  readonly #insideTransaction: boolean;
  readonly #timeouts: SqlTimeouts;
  readonly #prepared: PreparedStatementNames;
  /** Inside a host transaction there is one connection: savepoints must not interleave. */
  #savepoints: Promise<unknown> = Promise.resolve();

  /** `preparedStatements`: single statements with parameters run as named prepared statements (prepared-statements.ts). */
  constructor(knex: Knex, timeouts: SqlTimeouts, options: { preparedStatements?: boolean } = {}) {
    this.#client = knex.client as Knex.Client;
    this.#insideTransaction = knex.isTransaction === true;
    this.#timeouts = timeouts;
    this.#prepared = new PreparedStatementNames(options.preparedStatements === true);
  }

  /**
   * Whether each statement run by `query` commits on its own. Not so inside a host's transaction: there a statement
   * must not change how the host's transaction commits.
   */
  get commitsEachStatement(): boolean {
    return !this.#insideTransaction;
  }

  query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
    const timeoutMs = this.#timeouts.statementTimeoutMs;
    return this.#withConnection(async (connection) => {
      const name = this.#prepared.nameFor(sql, params);
      try {
        return await run<Row>(connection, sql, params, timeoutMs, name);
      } catch (error) {
        if (name === undefined || !this.#prepared.turnedOffBy(error)) throw error;
        return run<Row>(connection, sql, params, timeoutMs);
      }
    });
  }

  /** BEGIN … COMMIT on one connection (a savepoint inside a host transaction); rolled back when `work` throws. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const { statementTimeoutMs } = this.#timeouts;
    // The server bounds the transaction's statements too, so one that outlives the client's wait stops there.
    const begin = statementTimeoutMs > 0 ? `BEGIN; SET LOCAL statement_timeout = ${Math.floor(statementTimeoutMs)}` : 'BEGIN';
    if (!this.#insideTransaction)
      return this.#withConnection((connection) => this.#atomically(connection, [begin, 'COMMIT', 'ROLLBACK'], work));
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
    const timeoutMs = this.#timeouts.statementTimeoutMs;
    await run(connection, begin, [], timeoutMs);
    try {
      const value = await work({ query: (sql, params = []) => run(connection, sql, params, timeoutMs) });
      await run(connection, commit, [], timeoutMs);
      return value;
    } catch (error) {
      // A connection that cannot even roll back is in an unknown state (usually gone): close it.
      await run(connection, rollback, [], timeoutMs).catch(() => this.#closeBroken(connection, error));
      throw error;
    }
  }

  async #withConnection<T>(work: (connection: PgConnection) => Promise<T>): Promise<T> {
    const connection = await this.#acquire();
    try {
      return await work(connection);
    } catch (error) {
      if (isConnectionFailure(error)) await this.#closeBroken(connection, error);
      throw error;
    } finally {
      await this.#client.releaseConnection(connection);
    }
  }

  /** A pooled connection, or a clear error after `connectTimeoutMs` naming what it waited for. */
  async #acquire(): Promise<PgConnection> {
    const acquiring = this.#client.acquireConnection() as Promise<PgConnection>;
    const { connectTimeoutMs } = this.#timeouts;
    if (connectTimeoutMs <= 0) return acquiring;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('deadline')), connectTimeoutMs);
    });
    try {
      return await Promise.race([acquiring, deadline]);
    } catch (error) {
      // Gave up first: a connection that arrives later goes straight back to the pool.
      acquiring.then(
        (late) => this.#client.releaseConnection(late),
        () => undefined,
      );
      if (error instanceof Error && (error.message === 'deadline' || error.name === 'KnexTimeoutError')) throw this.#noConnection(error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  #noConnection(cause: Error): Error {
    const pool = this.#client.pool as PoolGauges | undefined;
    const target = connectionTarget(this.#client.config);
    const why =
      pool && pool.numPendingCreates() === 0 && pool.numFree() === 0
        ? `all ${pool.max} pooled connections stayed busy`
        : `connecting to ${target} got no answer`;
    return new Error(`No PostgreSQL connection within ${this.#timeouts.connectTimeoutMs} ms (connectTimeoutMs): ${why}`, {
      cause: cause.message === 'deadline' ? undefined : cause,
    });
  }

  /**
   * A connection that failed (rather than a statement) must not be handed out again. Ending it with pg's
   * own `end()` before it goes back makes sure of that (knex's pg dialect drops an ended connection at the
   * next acquire, where the socket's own 'end' could come after that acquire); on a silent server the end
   * itself never completes, so the wait for it is short.
   * A statement the client gave up on may still run on a live server: it is asked to cancel it (knex's
   * `cancelQuery`, what its own `.timeout(ms, { cancel: true })` uses).
   */
  async #closeBroken(connection: PgConnection, error: unknown): Promise<void> {
    if (error instanceof StatementTimeoutError) {
      const client = this.#client as unknown as { cancelQuery(connection: PgConnection): Promise<unknown> };
      client.cancelQuery(connection).catch(() => undefined);
    }
    const ended = connection.end().catch(() => undefined);
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
  }
}
