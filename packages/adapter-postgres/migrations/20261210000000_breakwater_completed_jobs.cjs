/**
 * @breakwater/adapter-postgres: the index completed-job retention walks (a worker's `removeOnComplete`
 * with `maxAgeMs` / `maxCount`), for databases set up by the first migration.
 *
 * Together with 20261128000000_breakwater.cjs, these are the statements `migrate(knex)` runs for the default
 * names, word for word (the package's tests check it). Idempotent, like the first.
 */

const UP = [`CREATE INDEX IF NOT EXISTS "jobs_completed_idx" ON "jobs" ("service", "updated_at", "id") WHERE "status" = 'COMPLETED'`];

const DOWN = [`DROP INDEX IF EXISTS "jobs_completed_idx"`];

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
