/**
 * A real reason for a campaign's resume to fail inside the database: a trigger that RAISEs with a
 * given message when that campaign moves from PAUSED to RUNNING. The message comes back as the
 * campaign's outcome error, exactly as a host's own constraint or trigger would report it.
 */
import type { Knex } from 'knex';

export interface CampaignTableShape {
  /** May be schema-qualified. */
  table: string;
  id: string;
  status: string;
}

const DEFAULT_SHAPE: CampaignTableShape = { table: 'campaigns', id: 'id', status: 'status' };

export async function failCampaignResume(
  knex: Knex,
  campaignId: string,
  message: string,
  shape: CampaignTableShape = DEFAULT_SHAPE,
): Promise<void> {
  // Trigger names are never qualified; the function and the failures table live beside the table.
  const bare = shape.table.split('.').at(-1) ?? shape.table;
  const failures = `${shape.table}_resume_failures`;
  const fn = `${shape.table}_fail_resume`;
  await knex.raw('CREATE TABLE IF NOT EXISTS ?? (campaign_id text PRIMARY KEY, message text NOT NULL)', [failures]);
  await knex.raw(
    `CREATE OR REPLACE FUNCTION ??() RETURNS trigger LANGUAGE plpgsql AS $$
     DECLARE failure text;
     BEGIN
       SELECT message INTO failure FROM ${quote(failures)} WHERE campaign_id = OLD.${quote(shape.id)}::text;
       IF failure IS NOT NULL THEN RAISE EXCEPTION '%', failure; END IF;
       RETURN NEW;
     END $$`,
    [fn],
  );
  await knex.raw(
    `CREATE OR REPLACE TRIGGER ?? BEFORE UPDATE ON ??
     FOR EACH ROW WHEN (OLD.${quote(shape.status)} = 'PAUSED' AND NEW.${quote(shape.status)} = 'RUNNING')
     EXECUTE FUNCTION ??()`,
    [`${bare}_fail_resume`, shape.table, fn],
  );
  await knex.raw('INSERT INTO ?? (campaign_id, message) VALUES (?, ?) ON CONFLICT (campaign_id) DO UPDATE SET message = EXCLUDED.message', [
    failures,
    campaignId,
    message,
  ]);
}

/** A quoted identifier; a dotted name becomes a qualified one. */
function quote(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}
