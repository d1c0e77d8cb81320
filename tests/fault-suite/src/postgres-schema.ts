/**
 * A schema of the test's own in the shared database, migrated: reached directly (to seed it and to read the
 * rows back, bypassing everything under test) and through a proxy (what Breakwater uses, so a test can cut it).
 */
import { randomBytes } from 'node:crypto';
import { migrate } from '@breakwater/adapter-postgres';
import knexFactory, { type Knex } from 'knex';

export class PostgresSchema {
  private constructor(
    readonly name: string,
    readonly direct: Knex,
    private readonly url: URL,
  ) {}

  static async create(databaseUrl: string): Promise<PostgresSchema> {
    const name = `bw_faults_${randomBytes(5).toString('hex')}`;
    const direct = knexFactory({ client: 'pg', connection: databaseUrl, searchPath: [name], pool: { min: 0, max: 4 } });
    await direct.raw('CREATE SCHEMA ??', [name]);
    await migrate(direct);
    return new PostgresSchema(name, direct, new URL(databaseUrl));
  }

  /** A knex of its own over this schema, through `port` (the proxy's) on loopback. */
  connectThrough(port: number, pool = { min: 0, max: 6 }): Knex {
    return knexFactory({
      client: 'pg',
      connection: {
        host: '127.0.0.1',
        port,
        user: decodeURIComponent(this.url.username) || 'postgres',
        password: decodeURIComponent(this.url.password) || undefined,
        database: this.url.pathname.slice(1) || 'postgres',
      },
      searchPath: [this.name],
      pool,
      // The faults are on purpose: knex's own warnings about the connections they break are noise here.
      log: { warn: () => {}, error: () => {}, deprecate: () => {}, debug: () => {} },
    });
  }

  async drop(): Promise<void> {
    try {
      await this.direct.raw('DROP SCHEMA ?? CASCADE', [this.name]);
    } finally {
      await this.direct.destroy();
    }
  }
}
