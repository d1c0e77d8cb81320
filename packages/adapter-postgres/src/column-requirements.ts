/**
 * What each mapped column must be for the repository's statements to work on it: its type, and
 * whether it must allow NULL (Breakwater writes NULL there) or have a default (Breakwater inserts
 * rows without it). The adapter's README shows this table; `checkMappedTables` enforces it.
 */
import type { CampaignColumns, JobColumns } from './schema-names.js';

export interface ColumnRequirement {
  /** Types accepted, as PostgreSQL's `format_type` spells them. */
  types: readonly string[];
  /** How the README and the error messages name the accepted types. */
  typeLabel: string;
  /** Breakwater stores NULL in it (a cleared error, a job without a payload…). */
  nullable?: true;
  /** Breakwater inserts rows without a value for it, so it needs a DEFAULT (or a serial / identity). */
  defaulted?: true;
}

const ID = { types: ['bigint', 'integer', 'smallint', 'text', 'character varying', 'uuid'], typeLabel: 'bigint, integer, text or uuid' };
const TEXT = { types: ['text', 'character varying'], typeLabel: 'text or varchar' };
const TIMESTAMP = { types: ['timestamp with time zone'], typeLabel: 'timestamptz' };
const JSON_VALUE = { types: ['jsonb', 'json'], typeLabel: 'jsonb or json' };
const COUNT = { types: ['integer', 'bigint', 'smallint'], typeLabel: 'integer' };

export const CAMPAIGN_COLUMN_REQUIREMENTS: Record<keyof CampaignColumns, ColumnRequirement> = {
  id: { ...ID, defaulted: true },
  name: TEXT,
  status: TEXT,
  statusMessage: { ...TEXT, nullable: true },
  createdAt: { ...TIMESTAMP, defaulted: true },
  updatedAt: { ...TIMESTAMP, defaulted: true },
};

export const JOB_COLUMN_REQUIREMENTS: Record<keyof JobColumns, ColumnRequirement> = {
  id: { ...ID, defaulted: true },
  campaignId: ID,
  service: TEXT,
  status: TEXT,
  error: { ...TEXT, nullable: true },
  payload: { ...JSON_VALUE, nullable: true },
  attempts: { ...COUNT, defaulted: true },
  result: { ...JSON_VALUE, nullable: true },
  leaseOwner: { ...TEXT, nullable: true },
  leaseExpiresAt: { ...TIMESTAMP, nullable: true },
  availableAt: { ...TIMESTAMP, defaulted: true },
  createdAt: { ...TIMESTAMP, defaulted: true },
  updatedAt: { ...TIMESTAMP, defaulted: true },
};

/** `timestamptz, NULL allowed` / `bigint, integer, text or uuid, with a DEFAULT` */
export function describeRequirement(requirement: ColumnRequirement): string {
  const rules = [requirement.nullable ? 'NULL allowed' : null, requirement.defaulted ? 'with a DEFAULT' : null].filter(Boolean);
  return [requirement.typeLabel, ...rules].join(', ');
}
