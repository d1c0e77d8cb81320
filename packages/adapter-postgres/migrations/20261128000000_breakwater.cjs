/**
 * @breakwater/adapter-postgres: the default schema as a knex migration.
 *
 *   knex.migrate.latest({ directory: ['./migrations', 'node_modules/@breakwater/adapter-postgres/migrations'], loadExtensions: ['.cjs', '.js'] })
 *
 * These are the statements `migrate(knex)` runs for the default names, word for word (the package's
 * tests check it); hosts with their own table or column names call `migrate(knex, { tables, columns })`
 * from a migration of their own instead. Every statement is idempotent, so a database already set up
 * by `migrate(knex)` takes this migration without change.
 */

const UP = [
  `CREATE TABLE IF NOT EXISTS "campaigns" (
  "id" bigserial PRIMARY KEY,
  "name" text NOT NULL,
  "status" text NOT NULL DEFAULT 'DRAFT' CONSTRAINT "campaigns_status_check" CHECK ("status" IN ('DRAFT', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED')),
  "status_message" text,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now()
)`,
  `CREATE INDEX IF NOT EXISTS "campaigns_paused_idx" ON "campaigns" ("id") WHERE "status" = 'PAUSED'`,
  `CREATE INDEX IF NOT EXISTS "campaigns_running_idx" ON "campaigns" ("id") WHERE "status" = 'RUNNING'`,
  `CREATE TABLE IF NOT EXISTS "jobs" (
  "id" bigserial PRIMARY KEY,
  "campaign_id" bigint NOT NULL CONSTRAINT "jobs_campaign_fkey" REFERENCES "campaigns" ("id") ON DELETE CASCADE,
  "service" text NOT NULL,
  "status" text NOT NULL DEFAULT 'PENDING' CONSTRAINT "jobs_status_check" CHECK ("status" IN ('PENDING', 'PROCESSING', 'PAUSED', 'COMPLETED', 'FAILED')),
  "error" text,
  "payload" jsonb,
  "attempts" integer NOT NULL DEFAULT 0 CONSTRAINT "jobs_attempts_check" CHECK ("attempts" >= 0),
  "result" jsonb,
  "lease_owner" text,
  "lease_expires_at" timestamptz,
  "available_at" timestamptz NOT NULL DEFAULT now(),
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now()
)`,
  `CREATE INDEX IF NOT EXISTS "jobs_campaign_service_idx" ON "jobs" ("campaign_id", "service")`,
  `CREATE INDEX IF NOT EXISTS "jobs_pending_idx" ON "jobs" ("service", "id") WHERE "status" = 'PENDING'`,
  `CREATE INDEX IF NOT EXISTS "jobs_paused_by_service_idx" ON "jobs" ("service", "id") WHERE "status" = 'PAUSED'`,
  `CREATE INDEX IF NOT EXISTS "jobs_paused_by_campaign_idx" ON "jobs" ("campaign_id") WHERE "status" = 'PAUSED'`,
  `CREATE INDEX IF NOT EXISTS "jobs_processing_idx" ON "jobs" ("service", "lease_expires_at") WHERE "status" = 'PROCESSING'`,
  `CREATE TABLE IF NOT EXISTS "breakwater_service_fences" (
  service text PRIMARY KEY,
  paused boolean NOT NULL DEFAULT false,
  reason text,
  epoch bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
];

const DOWN = [`DROP TABLE IF EXISTS "breakwater_service_fences"`, `DROP TABLE IF EXISTS "jobs"`, `DROP TABLE IF EXISTS "campaigns"`];

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
