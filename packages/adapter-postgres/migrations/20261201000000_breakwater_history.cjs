/**
 * @breakwater/adapter-postgres: the durable history's table (PostgresHistoryStore), as a knex migration
 * that follows 20261128000000_breakwater.cjs.
 *
 * These are the history statements `migrate(knex)` runs for the default names, word for word (the
 * package's tests check it). Every statement is idempotent, so a database already set up by
 * `migrate(knex)` takes this migration without change.
 */

const UP = [
  `CREATE TABLE IF NOT EXISTS "breakwater_history" (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  kind text NOT NULL,
  service text,
  actor text,
  reason text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
)`,
  `CREATE INDEX IF NOT EXISTS "breakwater_history_at_idx" ON "breakwater_history" (at)`,
];

const DOWN = [`DROP TABLE IF EXISTS "breakwater_history"`];

/* global module -- a CommonJS file: knex loads migrations with require() */
module.exports = {
  UP,
  DOWN,
  async up(knex) {
    for (const statement of UP) await knex.raw(statement);
  },
  async down(knex) {
    for (const statement of DOWN) await knex.raw(statement);
  },
};
