/**
 * HistoryStore on PostgreSQL, through the host's knex: one row per entry in `breakwater_history` (made by
 * `migrate()` or the shipped knex migration), shared by every process. Each method is one statement.
 */
import type { Knex } from 'knex';
import {
  InvalidOptionsError,
  type HistoryEntry,
  type HistoryKind,
  type HistoryQuery,
  type HistoryStore,
  type NewHistoryEntry,
} from '@breakwater/core';
import { milliseconds, requirePostgresKnex } from './knex-options.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS, PoolSql } from './pool-sql.js';
import { resolveSqlNames } from './schema-names.js';

export interface PostgresHistoryStoreOptions {
  /** A knex instance the host built, with client `pg`. The store borrows its pool and never closes it. */
  knex: Knex;
  /** The history table's name (may be schema-qualified), if not `breakwater_history`. */
  table?: string;
  /** Longest any one statement may take. Default 30000; 0: no limit. */
  statementTimeoutMs?: number;
  /** Longest the store waits for a connection from the host's pool. Default 10000; 0: only the host's own limits. */
  connectTimeoutMs?: number;
}

interface HistoryRow {
  id: string;
  at: Date;
  kind: HistoryKind;
  service: string | null;
  actor: string | null;
  reason: string | null;
  details: NewHistoryEntry['details'];
}

export class PostgresHistoryStore implements HistoryStore {
  readonly #sql: PoolSql;
  readonly #table: string;

  constructor(options: PostgresHistoryStoreOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionsError('PostgresHistoryStore needs an options object');
    requirePostgresKnex('knex', options.knex, 'Missing required option "knex": a knex instance built by the host (client "pg")');
    this.#table = resolveSqlNames(options.table === undefined ? {} : { tables: { history: options.table } }).history;
    this.#sql = new PoolSql(options.knex, {
      statementTimeoutMs: milliseconds('statementTimeoutMs', options.statementTimeoutMs, DEFAULT_STATEMENT_TIMEOUT_MS),
      connectTimeoutMs: milliseconds('connectTimeoutMs', options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS),
    });
  }

  /** One INSERT for the whole batch; ORDER BY the position keeps the ids in the order given. */
  async append(entries: readonly NewHistoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#sql.query(
      `INSERT INTO ${this.#table} (at, kind, service, actor, reason, details)
       SELECT e.at, e.kind, e.service, e.actor, e.reason, e.details
       FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
         WITH ORDINALITY AS e(at, kind, service, actor, reason, details, position)
       ORDER BY e.position`,
      [
        entries.map((entry) => new Date(entry.at)),
        entries.map((entry) => entry.kind),
        entries.map((entry) => entry.service),
        entries.map((entry) => entry.actor),
        entries.map((entry) => entry.reason),
        entries.map((entry) => JSON.stringify(entry.details)),
      ],
    );
  }

  async list(query: HistoryQuery): Promise<HistoryEntry[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (query.service !== undefined) where.push(`(entry.service = $${params.push(query.service)} OR entry.service IS NULL)`);
    if (query.kinds !== undefined) where.push(`entry.kind = ANY($${params.push([...query.kinds])}::text[])`);
    if (query.before !== undefined) where.push(`entry.id < $${params.push(query.before)}::bigint`);
    if (query.since !== undefined) where.push(`entry.at >= $${params.push(new Date(query.since))}`);
    // ORDER BY the column, qualified: the bare name would be the text output column (and '9' > '10').
    const { rows } = await this.#sql.query<HistoryRow>(
      `SELECT entry.id::text AS id, entry.at, entry.kind, entry.service, entry.actor, entry.reason, entry.details
       FROM ${this.#table} entry ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY entry.id DESC LIMIT $${params.push(query.limit)}`,
      params,
    );
    return rows.map((row) => ({ ...row, at: new Date(row.at).getTime() }));
  }

  async prune(before: number): Promise<number> {
    const { rowCount } = await this.#sql.query(`DELETE FROM ${this.#table} WHERE at < $1`, [new Date(before)]);
    return rowCount;
  }
}
