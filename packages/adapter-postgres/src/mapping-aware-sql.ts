/**
 * The repository's SQL runner: the pool's, with one addition. An error about a column or table the
 * database does not have comes out naming the mapping key that led to it (mapping-errors.ts), so
 * every statement the repository runs reports a mapping mismatch the same way.
 */
import { withMappingContext } from './mapping-errors.js';
import { PoolSql, type SqlResult, type SqlRunner } from './pool-sql.js';
import type { SqlNames } from './schema-names.js';

export class MappingAwareSql extends PoolSql {
  readonly #names: SqlNames;

  constructor(names: SqlNames, ...pool: ConstructorParameters<typeof PoolSql>) {
    super(...pool);
    this.#names = names;
  }

  override query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
    return super.query<Row>(sql, params).catch((error: unknown) => {
      throw withMappingContext(error, this.#names);
    });
  }

  override transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return super.transaction(work).catch((error: unknown) => {
      throw withMappingContext(error, this.#names);
    });
  }
}
