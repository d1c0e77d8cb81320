/**
 * Named prepared statements for the repository's parameterised statements: PostgreSQL parses and plans each once per
 * connection instead of at every call (planning costs more than running the claim, the hottest statement). The
 * name is a hash of the SQL text, so two texts never share a name, and every instance of the repository (every
 * process) gives a statement the same name.
 *
 * Prepared statements belong to a server connection. Behind a transaction-pooling PgBouncer before 1.21 (or without
 * `max_prepared_statements`), a statement prepared on one server connection is missing on the next: the first such
 * refusal (nothing ran) turns them off for this repository, with a process warning, and the statement runs again unnamed.
 */
import { createHash } from 'node:crypto';
import { sqlState } from './driver-errors.js';

/** `prepared statement "…" does not exist` (at Bind) and `… already exists` (at Parse): the pooler moved us. */
const MOVED_CONNECTION_STATES = new Set(['26000', '42P05']);

export class PreparedStatementNames {
  #enabled: boolean;
  readonly #names = new Map<string, string>();

  constructor(enabled: boolean) {
    this.#enabled = enabled;
  }

  /** The statement's name, or undefined when it runs unnamed (no parameters, or prepared statements are off). */
  nameFor(sql: string, params: readonly unknown[]): string | undefined {
    if (!this.#enabled || params.length === 0) return undefined;
    let name = this.#names.get(sql);
    if (name === undefined) {
      name = `breakwater_${createHash('sha1').update(sql).digest('hex')}`;
      this.#names.set(sql, name);
    }
    return name;
  }

  /**
   * Whether `error` says the server connection does not have the statement this connection prepared (so nothing
   * ran): if so, prepared statements are off from now on (with one warning), and the caller runs it again unnamed.
   * Statements that were already under way when the first refusal came are answered the same way.
   */
  turnedOffBy(error: unknown): boolean {
    if (!MOVED_CONNECTION_STATES.has(sqlState(error) ?? '')) return false;
    if (this.#enabled) {
      this.#enabled = false;
      process.emitWarning(
        `PostgresCampaignRepository: a prepared statement went missing on its connection (${error instanceof Error ? error.message : String(error)}), ` +
          'as behind a transaction-pooling PgBouncer; continuing without prepared statements. Pass preparedStatements: false to say so up front.',
        { code: 'BREAKWATER_PREPARED_STATEMENTS_OFF' },
      );
    }
    return true;
  }
}
